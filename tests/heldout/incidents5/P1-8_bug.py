"""BEV detection transformer head ported from the PyTorch reference implementation to Paddle."""
from dataclasses import dataclass

import paddle
import paddle.nn as nn


@dataclass
class HeadConfig:
    embed_dims: int = 256
    num_heads: int = 8
    num_query: int = 900
    dropout: float = 0.1
    num_layers: int = 6


class DecoderLayer(nn.Layer):
    def __init__(self, cfg: HeadConfig):
        super().__init__()
        self.self_attn = nn.MultiHeadAttention(cfg.embed_dims, cfg.num_heads, dropout=cfg.dropout)
        self.cross_attn = nn.MultiHeadAttention(cfg.embed_dims, cfg.num_heads, dropout=cfg.dropout)
        self.norms = nn.LayerList([nn.LayerNorm(cfg.embed_dims) for _ in range(3)])
        self.ffn = nn.Sequential(
            nn.Linear(cfg.embed_dims, 4 * cfg.embed_dims), nn.ReLU(), nn.Linear(4 * cfg.embed_dims, cfg.embed_dims)
        )

    def forward(self, query, memory, query_pos, key_padding_mask):
        q = k = query + query_pos
        query = self.norms[0](query + self.self_attn(q, k, query))
        # memory mask follows the torch convention: True marks padded BEV cells
        attn_mask = key_padding_mask.unsqueeze(1).unsqueeze(1)  # BUG
        query = self.norms[1](query + self.cross_attn(query + query_pos, memory, memory, attn_mask=attn_mask))  # BUG
        return self.norms[2](query + self.ffn(query))


class DetectionHead(nn.Layer):
    def __init__(self, cfg: HeadConfig):
        super().__init__()
        self.cfg = cfg
        self.query_embed = nn.Embedding(cfg.num_query, cfg.embed_dims * 2)
        self.layers = nn.LayerList([DecoderLayer(cfg) for _ in range(cfg.num_layers)])
        self.cls = nn.Linear(cfg.embed_dims, 10)
        self.reg = nn.Linear(cfg.embed_dims, 10)

    def forward(self, memory, key_padding_mask):
        bs = memory.shape[0]
        pos, query = paddle.split(self.query_embed.weight, 2, axis=1)
        query = query.unsqueeze(0).expand([bs, -1, -1])
        pos = pos.unsqueeze(0).expand([bs, -1, -1])
        outs = []
        for layer in self.layers:
            query = layer(query, memory, pos, key_padding_mask)
            outs.append((self.cls(query), self.reg(query)))
        return outs
