"""Compact code written correctly: one-line bodies with the right polarity, and early returns."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TerseDecoder(nn.Module):
    def __init__(self, d=32, h=4, n=8):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.register_buffer("future", torch.triu(torch.ones(n, n, dtype=torch.bool), 1))

    def sdpa(self, q, m): return F.scaled_dot_product_attention(q, q, q, attn_mask=m)

    def forward(self, x, pad=None):
        t = x.size(1)
        if pad is None: y, _ = self.attn(x, x, x, attn_mask=self.future[:t, :t])
        else: y, _ = self.attn(x, x, x, attn_mask=self.future[:t, :t], key_padding_mask=pad)
        q = x.view(x.size(0), t, 4, -1).transpose(1, 2)
        return y, self.sdpa(q, ~self.future[:t, :t])


def masked(scores, mask=None):
    if mask is None: return scores.softmax(-1)
    return scores.masked_fill(~mask, float("-inf")).softmax(-1)


probs = masked(torch.randn(1, 5, 5), torch.tril(torch.ones(5, 5, dtype=torch.bool)))
