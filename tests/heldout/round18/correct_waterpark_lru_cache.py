"""Dispatch-interval model for water-park slide towers.

Lifeguards at the top of a slide release riders at an interval that depends on
the recent sequence of raft types, rider weights and splash-pool clear signals.
Masks are cached per length because the tablet app calls the model on every
dispatch with a handful of distinct lengths.
"""
from functools import lru_cache

import torch
import torch.nn as nn


@lru_cache(maxsize=32)
def later_dispatches(n: int) -> torch.Tensor:
    """(n, n) bool, True where dispatch j comes after dispatch i (hidden from i)."""
    return torch.ones(n, n, dtype=torch.bool).triu(1)


class DispatchBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x):
        a, _ = self.attn(x, x, x, attn_mask=later_dispatches(x.size(1)), need_weights=False)
        x = self.n1(x + a)
        return self.n2(x + self.ff(x))


class DispatchIntervalModel(nn.Module):
    def __init__(self, d=32, heads=4, depth=2):
        super().__init__()
        self.raft = nn.Embedding(5, d)        # single tube, double tube, family raft, mat, body slide
        self.num = nn.Linear(3, d)            # total rider kg, seconds since clear signal, queue length
        self.blocks = nn.ModuleList(DispatchBlock(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, 1)

    def forward(self, raft, num):
        x = self.raft(raft) + self.num(num)
        for blk in self.blocks:
            x = blk(x)
        return nn.functional.softplus(self.out(x)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DispatchIntervalModel()
    secs = model(torch.randint(0, 5, (4, 30)), torch.rand(4, 30, 3))
    nn.functional.mse_loss(secs[:, :-1], torch.rand(4, 29) * 20).backward()
    model.eval()
    with torch.no_grad():
        print(model(torch.randint(0, 5, (1, 30)), torch.rand(1, 30, 3)).shape, later_dispatches.cache_info().hits)
