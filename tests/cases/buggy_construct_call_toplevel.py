"""A notebook-style cell: the layer is defined, built and called in one file."""
import torch
import torch.nn as nn


class CausalSDPA(nn.Module):
    def __init__(self, d, heads, context_length):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1).bool())

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)
        y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=self.mask[:t, :t])  # expect: ML102
        return y.transpose(1, 2).reshape(b, t, d)


out = CausalSDPA(64, 4, 128)(torch.randn(2, 16, 64))
