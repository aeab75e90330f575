"""Compact code: bodies written on the line of their header (if / else / for / with / def)."""
import contextlib

import torch
import torch.nn as nn
import torch.nn.functional as F


class TerseDecoder(nn.Module):
    def __init__(self, d=32, h=4, n=8):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.register_buffer("future", torch.triu(torch.ones(n, n, dtype=torch.bool), 1))

    def sdpa(self, q, k, v, m): return F.scaled_dot_product_attention(q, k, v, attn_mask=m)

    def forward(self, x, pad=None):
        t = x.size(1)
        if pad is None: keep = torch.tril(torch.ones(t, t, dtype=torch.bool))
        else: keep = torch.tril(torch.ones(t, t, dtype=torch.bool)) & ~pad[:, None, :]
        with contextlib.nullcontext(): y, _ = self.attn(x, x, x, attn_mask=torch.tril(torch.ones(t, t, dtype=torch.bool)))  # expect: ML101
        q = x.view(x.size(0), t, 4, -1).transpose(1, 2)
        z = self.sdpa(q, q, q, self.future[:t, :t])  # expect: ML102
        for _ in range(2): q = F.scaled_dot_product_attention(q, q, q, attn_mask=self.future[:t, :t])  # expect: ML102
        return y, z, keep


def scores_with_mask(scores, mask=None):
    if mask is not None: scores = scores.masked_fill(mask, float("-inf"))
    return scores.softmax(-1)


keep_mask = torch.tril(torch.ones(5, 5, dtype=torch.bool))
probs = scores_with_mask(torch.randn(1, 5, 5), keep_mask)  # expect: ML101
