"""PolyGen-style vertex model for CAD part meshes (TorchScript-compatible)."""
from typing import Optional

import torch
import torch.nn as nn


class VertexSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, blocked: Optional[torch.Tensor] = None) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q = q.reshape(b, n, self.heads, -1).transpose(1, 2)
        k = k.reshape(b, n, self.heads, -1).transpose(1, 2)
        v = v.reshape(b, n, self.heads, -1).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-2, -1)) * self.scale
        if blocked is not None:
            scores = scores.masked_fill(blocked, float("-inf"))
        y = torch.matmul(scores.softmax(dim=-1), v)
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class VertexModel(nn.Module):
    def __init__(self, bits: int = 8, dim: int = 64, heads: int = 4, depth: int = 3,
                 max_tokens: int = 600):
        super().__init__()
        self.value = nn.Embedding(2 ** bits + 2, dim)
        self.coord = nn.Embedding(3, dim)
        self.pos = nn.Embedding(max_tokens, dim)
        self.attn = nn.ModuleList([VertexSelfAttention(dim, heads) for _ in range(depth)])
        self.ff = nn.ModuleList([nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim),
                                               nn.ReLU(), nn.Linear(2 * dim, dim))
                                 for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.logits = nn.Linear(dim, 2 ** bits + 2)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        n = tokens.size(1)
        idx = torch.arange(n, device=tokens.device)
        h = self.value(tokens) + self.coord(idx % 3) + self.pos(idx)
        # strictly-upper triangle: a vertex coordinate sees itself and earlier ones
        blocked = torch.triu(torch.ones(n, n, dtype=torch.bool, device=tokens.device), diagonal=1)
        for attn, ff in zip(self.attn, self.ff):
            h = h + attn(h, blocked)
            h = h + ff(h)
        return self.logits(self.norm(h))
