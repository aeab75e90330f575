"""Correct: bool triu(ones, 1) (True = blocked) into nn.MultiheadAttention, eval + no_grad (fast path)."""
import torch
import torch.nn as nn

KIND = "correct"


class CausalMHA(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, x):
        L = x.size(1)
        block = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
        out, _ = self.attn(x, x, x, attn_mask=block)
        return out


def _setup():
    torch.manual_seed(0)
    return CausalMHA().eval(), torch.randn(3, 6, 16)


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
    d = (a[:, :-1] - b[:, :-1]).abs().max().item()
    return d < 1e-6 and not torch.isnan(a).any(), f"earlier queries moved by {d:.3g}"
