"""Decoder block that also returns per-head attention maps for the attribution dashboard."""
from typing import Tuple

import torch
import torch.nn as nn


class InspectableCausalBlock(nn.Module):
    def __init__(self, dim: int, heads: int, mlp_ratio: float = 4.0, dropout: float = 0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.ln1(x)
        t = x.size(1)
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=x.device), diagonal=1)
        attn_out, attn_maps = self.attn(
            h, h, h,
            attn_mask=causal,
            is_causal=True,
            need_weights=True,
            average_attn_weights=False,
        )
        x = x + attn_out
        x = x + self.mlp(self.ln2(x))
        return x, attn_maps


class InspectableDecoder(nn.Module):
    def __init__(self, vocab: int, dim: int = 128, heads: int = 4, depth: int = 4, max_len: int = 512):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(InspectableCausalBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, idx: torch.Tensor):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        maps = []
        for blk in self.blocks:
            x, m = blk(x)
            maps.append(m)
        return self.head(self.norm(x)), torch.stack(maps, dim=1)  # (B, depth, heads, T, T)
