"""Chunk-wise streaming encoder for a transducer ASR model.

Frames are grouped into fixed-size chunks. A frame sees every frame of its own chunk and of a
limited number of previous chunks, so the encoder can emit a chunk as soon as it is complete."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class StreamingConfig:
    feat_dim: int = 80
    d_model: int = 64
    heads: int = 4
    layers: int = 3
    chunk_size: int = 4
    left_chunks: int = 2
    dropout: float = 0.1


def chunk_attention_mask(n_frames: int, chunk: int, left_chunks: int, device=None) -> torch.Tensor:
    idx = torch.arange(n_frames, device=device) // chunk
    q, k = idx[:, None], idx[None, :]
    return (k > q) | (k < q - left_chunks)


class StreamingLayer(nn.Module):
    def __init__(self, cfg: StreamingConfig):
        super().__init__()
        self.ln_att = nn.LayerNorm(cfg.d_model)
        self.self_attn = nn.MultiheadAttention(cfg.d_model, cfg.heads, dropout=cfg.dropout, batch_first=True)
        self.ln_ff = nn.LayerNorm(cfg.d_model)
        self.ff = nn.Sequential(nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.SiLU(), nn.Dropout(cfg.dropout),
                                nn.Linear(4 * cfg.d_model, cfg.d_model))

    def forward(self, x: torch.Tensor, chunk_mask: torch.Tensor) -> torch.Tensor:
        y = self.ln_att(x)
        y, _ = self.self_attn(
            y, y, y,
            attn_mask=chunk_mask,  # expect: ML402
            need_weights=False,
            is_causal=True,
        )
        x = x + y
        return x + self.ff(self.ln_ff(x))


class ChunkStreamingEncoder(nn.Module):
    def __init__(self, cfg: StreamingConfig = StreamingConfig()):
        super().__init__()
        self.cfg = cfg
        self.input_proj = nn.Sequential(nn.Linear(cfg.feat_dim, cfg.d_model), nn.LayerNorm(cfg.d_model))
        self.layers = nn.ModuleList(StreamingLayer(cfg) for _ in range(cfg.layers))

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        x = self.input_proj(feats)
        mask = chunk_attention_mask(x.size(1), self.cfg.chunk_size, self.cfg.left_chunks, x.device)
        for layer in self.layers:
            x = layer(x, mask)
        return x


class Joiner(nn.Module):
    def __init__(self, d_model: int, pred_dim: int, vocab: int):
        super().__init__()
        self.enc, self.pred = nn.Linear(d_model, 128), nn.Linear(pred_dim, 128)
        self.out = nn.Linear(128, vocab)

    def forward(self, enc: torch.Tensor, pred: torch.Tensor) -> torch.Tensor:
        return self.out(torch.tanh(self.enc(enc)[:, :, None] + self.pred(pred)[:, None]))


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = StreamingConfig()
    encoder, joiner = ChunkStreamingEncoder(cfg), Joiner(cfg.d_model, 32, 50)
    feats = torch.randn(2, 24, cfg.feat_dim)
    pred_out = torch.randn(2, 6, 32)
    logits = joiner(encoder(feats), pred_out)
    logits.logsumexp(-1).mean().backward()
    print("joiner logits", tuple(logits.shape))
    encoder.eval()
    with torch.no_grad():
        print("eval encoder out", tuple(encoder(feats).shape))
