"""Buggy: MHA-style block mask (triu(...,1), True = masked) passed to SDPA (True = attend). P1-1."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class CausalSelfAttention(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.qkv = nn.Linear(E, 3 * E)
        self.proj = nn.Linear(E, E)

    def forward(self, x):
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal)  # expect: ML102 also-ok: ML601
        return self.proj(y.transpose(1, 2).reshape(N, L, E))


def _setup():
    torch.manual_seed(0)
    m = CausalSelfAttention().eval()
    x = torch.randn(2, 6, 16)
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
    return d > 1e-4, f"query 0 output moved by {d:.3g} when only the last (future) token changed"
