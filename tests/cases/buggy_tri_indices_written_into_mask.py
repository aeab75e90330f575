"""Masks written through the indices of torch.triu_indices / tril_indices: `table[rows, cols] =
True` into a constant mask is that triangle, with its offset (0 keeps the diagonal in it)."""
import torch
from torch import nn


def lookahead_table(n):
    table = torch.zeros(n, n, dtype=torch.bool)
    rows, cols = torch.triu_indices(n, n)
    table[rows, cols] = True
    return table


def future_table(n):
    table = torch.zeros(n, n, dtype=torch.bool)
    idx = torch.triu_indices(n, n, offset=1)
    table[idx[0], idx[1]] = True
    return table


def past_bias(n):
    bias = torch.full((n, n), float("-inf"))
    r, c = torch.tril_indices(n, n)
    bias[r, c] = 0.0
    return bias


class Events(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x):
        t = x.size(1)
        a = self.attn(x, x, x, attn_mask=lookahead_table(t))[0]  # expect: ML404
        b = self.attn(x, x, x, attn_mask=~future_table(t))[0]  # expect: ML101
        c = self.attn(x, x, x, attn_mask=future_table(t))[0]
        d = self.attn(x, x, x, attn_mask=past_bias(t))[0]
        return a + b + c + d


if __name__ == "__main__":
    Events()(torch.randn(2, 5, 16))
