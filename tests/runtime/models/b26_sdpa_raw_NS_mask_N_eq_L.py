"""Buggy: raw (N, S) keep padding mask passed to SDPA without [:, None, None, :]. With N == L it broadcasts as
(L, S): query i of EVERY sample gets sample i's padding row (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class Attn(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, x, keep):
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML301


def _setup():
    torch.manual_seed(0)
    N = L = 5
    lengths = torch.tensor([5, 3, 4, 2, 5])
    keep = torch.arange(L)[None, :] < lengths[:, None]  # (N, S), True = real token
    return Attn().eval(), torch.randn(N, L, 16), keep


def run():
    m, x, keep = _setup()
    with torch.no_grad():
        return (m(x, keep),)


def verify():
    m, x, keep = _setup()
    x2 = x.clone()
    x2[1, 3:] += 1.0  # padded tokens of sample 1
    with torch.no_grad():
        a, b = m(x, keep), m(x2, keep)
    d = (a[1, :, :3] - b[1, :, :3]).abs().max().item()
    return d > 1e-4, f"real queries of sample 1 moved by {d:.3g} when its padded tokens changed"
