"""Attention over measurement units, robust to half precision."""
import torch
from torch import nn


class UnitAttention(nn.Module):
    """Explicit attention over PMUs; offline units (``offline`` True) are skipped."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, offline):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) * self.scale
        scores = scores.float().masked_fill(offline[:, None, None, :], -1e9)
        probs = scores.softmax(-1).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(b, n, d))


class Readout(nn.Module):
    def __init__(self, dim, n_sections):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.score = nn.Linear(dim, 1)
        self.section = nn.Linear(dim, n_sections)

    def forward(self, h, offline):
        s = self.score(self.norm(h)).squeeze(-1).float().masked_fill(offline, float("-inf"))
        w = s.softmax(-1).to(h.dtype).unsqueeze(-1)
        return self.section((w * h).sum(1))
