"""Temporal attention block shared by the detector and corridor models."""
import torch
from torch import nn


class TemporalBlock(nn.Module):
    """Pre-norm attention over time steps of one detector loop.

    pad_mask:    (batch, steps) bool, True where the loop reported nothing.
    causal_mask: (steps, steps) bool, True above the diagonal.
    """

    def __init__(self, dim, heads, dropout=0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, x, pad_mask=None, causal_mask=None):
        h = self.norm1(x)
        a, _ = self.attn(h, h, h, key_padding_mask=pad_mask, attn_mask=causal_mask,
                         need_weights=False)
        x = x + a
        return x + self.ff(self.norm2(x))


def future_mask(steps, device=None):
    return torch.triu(torch.ones(steps, steps, dtype=torch.bool, device=device), diagonal=1)


def missing_mask(counts):
    return torch.isnan(counts)
