"""Correct: SDPA with is_causal=True and no mask (nanoGPT style), training."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class CausalSelfAttention(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.c_attn = nn.Linear(E, 3 * E)
        self.c_proj = nn.Linear(E, E)
        self.dropout = 0.1

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.H, C // self.H).transpose(1, 2)
        k = k.view(B, T, self.H, C // self.H).transpose(1, 2)
        v = v.view(B, T, self.H, C // self.H).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=self.dropout if self.training else 0, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


def _setup():
    torch.manual_seed(0)
    return CausalSelfAttention().train(), torch.randn(2, 7, 16)


def run():
    m, x = _setup()
    torch.manual_seed(9)
    return (m(x),)


def verify():
    m, x = _setup()
    m.eval()
    x2 = x.clone()
    x2[:, -1] += 1.0
    a, b = m(x), m(x2)
    d = (a[:, :-1] - b[:, :-1]).abs().max().item()
    return d < 1e-6, f"earlier positions moved by {d:.3g}"
