"""Buggy: 0/1 float causal mask (torch.tril(torch.ones)) added to the scores: masks nothing. P2-1. Eval + no_grad."""
import torch
import torch.nn as nn

KIND = "buggy"


class CausalMHA(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, x):
        L = x.size(1)
        causal = torch.tril(torch.ones(L, L))
        out, _ = self.attn(x, x, x, attn_mask=causal, need_weights=False)  # expect: ML202 also-ok: ML101
        return out


def _setup():
    torch.manual_seed(0)
    m = CausalMHA().eval()
    x = torch.randn(3, 6, 16)
    return m, x


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
    return d > 1e-4, f"query 0 moved by {d:.3g} when the last (future) token changed"
