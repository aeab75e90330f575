"""Attention over SCADA time steps, skipping steps where the logger dropped out."""
import torch
import torch.nn.functional as F
from torch import nn


class DropoutAwareAttention(nn.Module):
    """Self-attention over time; ``dropped`` is True where the logger lost the step."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def _split(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, dropped):
        q = self._split(self.q(x))
        k, v = (self._split(t) for t in self.kv(x).chunk(2, dim=-1))
        bias = q.new_zeros(q.size(0), 1, 1, k.size(2))
        bias = bias.masked_fill(dropped[:, None, None, :], -1e9)  # expect: ML205
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(y.transpose(1, 2).flatten(2))


class ChannelMixer(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x):
        return x + self.net(x)
