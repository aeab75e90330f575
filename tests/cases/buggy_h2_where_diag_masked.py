"""Causal additive mask via torch.where over triu with the default diagonal."""
import torch
import torch.nn as nn


def causal_additive(T, device=None):
    upper = torch.triu(torch.ones(T, T, device=device)).bool()
    return torch.where(upper, float("-inf"), 0.0)


class TinyDecoder(nn.Module):
    def __init__(self, d=64, h=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h)

    def forward(self, x):  # x: (T, N, E)
        m = causal_additive(x.size(0), x.device)
        out, w = self.attn(x, x, x, attn_mask=m)  # expect: ML404
        return out
