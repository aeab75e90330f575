"""Scratch script: causal attention over smart-meter readings, built and run at module level."""
import torch
import torch.nn as nn


class MeterAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads)
        self.ff = nn.Linear(dim, dim)

    def forward(self, readings, attn_mask=None, key_padding_mask=None):
        out, weights = self.mha(readings, readings, readings, attn_mask=attn_mask, key_padding_mask=key_padding_mask)
        return self.ff(out + readings), weights


torch.manual_seed(0)
T, N = 24, 3
readings = torch.randn(T, N, 16)
missing = torch.zeros(N, T, dtype=torch.bool)
missing[2, 20:] = True
out, weights = MeterAttention(16, 2)(readings, torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1), missing)
print("forecast", tuple(out.shape), "future weight", float(weights.triu(1).abs().sum()))
