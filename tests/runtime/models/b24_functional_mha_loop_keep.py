"""Buggy: causal keep mask filled by a Python loop (True = may attend) passed to F.multi_head_attention_forward
(True = blocked). Built by data-dependent code a linter cannot follow."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


def visibility(L):
    m = torch.zeros(L, L, dtype=torch.bool)
    for i in range(L):
        for j in range(L):
            if j <= i:
                m[i, j] = True
    return m


class FunctionalAttn(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.mha = nn.MultiheadAttention(E, H)
        self.E, self.H = E, H

    def forward(self, x):  # (L, N, E)
        a = self.mha
        out, _ = F.multi_head_attention_forward(x, x, x, self.E, self.H, a.in_proj_weight, a.in_proj_bias, None, None, False, 0.0, a.out_proj.weight, a.out_proj.bias, training=self.training, need_weights=False, attn_mask=visibility(x.size(0)))  # expect: ML101 also-ok: ML601
        return out


def _setup():
    torch.manual_seed(0)
    return FunctionalAttn().train(), torch.randn(6, 2, 16)


def run():
    m, x = _setup()
    return (m(x),)


def verify():
    m, x = _setup()
    x2 = x.clone()
    x2[-1] += 1.0
    a, b = m(x), m(x2)
    d = (a[0] - b[0]).abs().max().item()
    return d > 1e-4, f"query 0 moved by {d:.3g} when the last (future) token changed"
