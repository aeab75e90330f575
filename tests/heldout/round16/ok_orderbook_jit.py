"""Limit-order-book mid-price model with a TorchScript attention kernel."""
import math

import torch
import torch.nn as nn


@torch.jit.script
def masked_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
    scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(keep.logical_not(), float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


@torch.jit.script
def causal_keep(n: int, device: torch.device) -> torch.Tensor:
    return torch.ones(n, n, device=device).tril().to(torch.bool)


class OrderBookModel(nn.Module):
    def __init__(self, levels=10, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(4 * levels, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, 3)  # down / flat / up

    def forward(self, book):
        # book: (B, T, 4 * levels) snapshots; prediction at t may only use <= t
        b, t, _ = book.shape
        x = self.inp(book)
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = masked_attention(q, k, v, causal_keep(t, book.device))
        return self.out(x + y.transpose(1, 2).reshape(b, t, -1))
