"""Attention block that also returns its weights (the desk wants attribution maps)."""
from torch import nn


class EventBlock(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.ReLU(), nn.Linear(4 * dim, dim))

    def forward(self, x, hidden):
        h = self.ln1(x)
        h, weights = self.attn(h, h, h, attn_mask=hidden, need_weights=True)  # expect: ML404
        x = x + h
        return x + self.ff(self.ln2(x)), weights
