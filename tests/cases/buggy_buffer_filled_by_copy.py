"""Buffers made with torch.empty or zeros and filled once with copy_: they hold the source's cells
in the buffer's own dtype (a float buffer makes a 0/1 float mask of a bool one, a bool buffer
makes a block mask of a triu)."""
import torch
import torch.nn.functional as F
from torch import nn


class ReturnsDecoder(nn.Module):
    def __init__(self, dim=32, heads=4, horizon=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.register_buffer("visible", torch.empty(horizon, horizon), persistent=False)
        self.visible.copy_(torch.tril(torch.ones(horizon, horizon, dtype=torch.bool)))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=self.visible[:t, :t])  # expect: ML202


class TickDecoder(nn.Module):
    def __init__(self, dim=32, heads=4, horizon=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        future = torch.empty(horizon, horizon, dtype=torch.bool)
        future.copy_(torch.triu(torch.ones(horizon, horizon), diagonal=1))
        self.register_buffer("future", future)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=self.future[:t, :t])  # expect: ML102
