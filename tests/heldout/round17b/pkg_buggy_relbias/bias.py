"""Position biases for the bulletin decoder."""
import math

import torch
from torch import nn


class ClippedRelativeBias(nn.Module):
    """Learned scalar per head and clipped distance (distance to the past only)."""

    def __init__(self, heads, max_distance=32):
        super().__init__()
        self.heads = heads
        self.max_distance = max_distance
        self.table = nn.Embedding(max_distance + 1, heads)
        nn.init.normal_(self.table.weight, std=1.0 / math.sqrt(heads))

    def forward(self, n):
        pos = torch.arange(n, device=self.table.weight.device)
        back = (pos[:, None] - pos[None, :]).clamp(0, self.max_distance)
        return self.table(back).permute(2, 0, 1)


def decoder_bias(rel, batch):
    """Relative bias plus the autoregressive constraint, laid out (batch * heads, n, n)."""
    heads, n, _ = rel.shape
    future = torch.full((n, n), float("-inf"), device=rel.device).triu_()  # expect: ML404
    full = rel + future
    return full.unsqueeze(0).expand(batch, heads, n, n).reshape(batch * heads, n, n)


def describe_bias(bias):
    finite = torch.isfinite(bias)
    return {
        "shape": tuple(bias.shape),
        "blocked_fraction": 1.0 - finite.float().mean().item(),
        "max": bias[finite].max().item(),
    }
