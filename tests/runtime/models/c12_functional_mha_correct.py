"""Correct: F.multi_head_attention_forward with bool causal block mask + bool key padding mask (batch_first=False)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class FunctionalAttn(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.mha = nn.MultiheadAttention(E, H)
        self.E, self.H = E, H

    def forward(self, x, pad):  # (L, N, E), (N, L)
        a = self.mha
        L = x.size(0)
        block = torch.ones(L, L, dtype=torch.bool).triu(1)
        out, _ = F.multi_head_attention_forward(x, x, x, self.E, self.H, a.in_proj_weight, a.in_proj_bias, None, None, False, 0.0, a.out_proj.weight, a.out_proj.bias, training=self.training, key_padding_mask=pad, need_weights=True, attn_mask=block)
        return out


def _setup():
    torch.manual_seed(0)
    pad = torch.arange(6)[None, :] >= torch.tensor([6, 4])[:, None]
    return FunctionalAttn().train(), torch.randn(6, 2, 16), pad


def run():
    m, x, pad = _setup()
    return (m(x, pad),)


def verify():
    m, x, pad = _setup()
    a = m(x, pad)
    x2 = x.clone()
    x2[5] += 1.0  # future for sample 0, padding for sample 1
    b = m(x2, pad)
    d = max((a[:5, 0] - b[:5, 0]).abs().max().item(), (a[:4, 1] - b[:4, 1]).abs().max().item())
    return d == 0.0 and not torch.isnan(a).any(), f"earlier/real outputs moved by {d}"
