"""Buggy: nn.MultiheadAttention(..., is_causal=True) with no attn_mask; eval + no_grad fast path runs unmasked."""
import torch
import torch.nn as nn

KIND = "buggy"


class CausalBlock(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)
        self.ff = nn.Linear(E, E)

    def forward(self, x):
        h, _ = self.attn(x, x, x, need_weights=False, is_causal=True)  # expect: ML402
        return self.ff(x + h)


def _setup():
    torch.manual_seed(0)
    return CausalBlock().eval(), torch.randn(3, 5, 16)


def run():
    m, x = _setup()
    with torch.no_grad():
        return (m(x),)


def verify():
    m, x = _setup()
    x2 = x.clone()
    x2[:, -1] += 1.0
    with torch.no_grad():
        a, b = m(x), m(x2)
    d = (a[:, 0] - b[:, 0]).abs().max().item()
    return d > 1e-4, f"query 0 moved by {d:.3g} when the last token changed"
