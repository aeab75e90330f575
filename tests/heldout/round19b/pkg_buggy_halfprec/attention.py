import math

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        scores = scores.masked_fill(~keep[:, None, None, :], -1e9)  # BUG: -1e9 does not fit in float16 (the model runs .half() in infer.py): masked_fill raises
        out = scores.softmax(-1) @ v
        return self.proj(out.transpose(1, 2).reshape(B, T, C))


class CrossAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, ctx, ctx_keep):
        B, T, C = x.shape
        S = ctx.size(1)
        q = self.q(x).view(B, T, self.heads, -1).transpose(1, 2)
        k, v = self.kv(ctx).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = torch.einsum("bhtd,bhsd->bhts", q, k) * q.size(-1) ** -0.5
        scores = scores.masked_fill(ctx_keep[:, None, None, :] == 0, -1e9)  # BUG: same fp16 overflow on the cross-attention fill
        out = torch.einsum("bhts,bhsd->bhtd", scores.softmax(-1), v)
        return self.proj(out.transpose(1, 2).reshape(B, T, C))
