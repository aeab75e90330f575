from dataclasses import dataclass

import torch
from torch import nn

from .attention import get_attention
from .masks import padding_positions, pooling_weights


@dataclass
class EncoderSettings:
    vocab_size: int = 3000
    hidden: int = 64
    heads: int = 4
    layers: int = 2
    pad_token_id: int = 1
    attn_implementation: str = "sdpa"
    attention_dropout: float = 0.0


class EncoderLayer(nn.Module):
    def __init__(self, s: EncoderSettings):
        super().__init__()
        self.heads = s.heads
        self.qkv = nn.Linear(s.hidden, 3 * s.hidden)
        self.proj = nn.Linear(s.hidden, s.hidden)
        self.norm1 = nn.LayerNorm(s.hidden)
        self.norm2 = nn.LayerNorm(s.hidden)
        self.ff = nn.Sequential(nn.Linear(s.hidden, 4 * s.hidden), nn.GELU(), nn.Linear(4 * s.hidden, s.hidden))
        self.attn_fn = get_attention(s.attn_implementation)
        self.dropout = s.attention_dropout

    def forward(self, x, mask):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        ctx = self.attn_fn(q, k, v, mask, self.dropout if self.training else 0.0)  # expect: ML102
        x = self.norm1(x + self.proj(ctx.transpose(1, 2).reshape(B, S, D)))
        return self.norm2(x + self.ff(x))


class ReviewEncoder(nn.Module):
    def __init__(self, settings: EncoderSettings = EncoderSettings()):
        super().__init__()
        self.settings = settings
        self.embed = nn.Embedding(settings.vocab_size, settings.hidden, padding_idx=settings.pad_token_id)
        self.pos = nn.Embedding(512, settings.hidden)
        self.layers = nn.ModuleList(EncoderLayer(settings) for _ in range(settings.layers))

    def forward(self, input_ids):
        mask = padding_positions(input_ids, self.settings.pad_token_id)
        x = self.embed(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        for layer in self.layers:
            x = layer(x, mask)
        weights = pooling_weights(input_ids, self.settings.pad_token_id)
        return torch.einsum("bs,bsd->bd", weights, x)
