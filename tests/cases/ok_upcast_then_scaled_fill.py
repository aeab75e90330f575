"""Scores upcast to float32 and then scaled or biased before a -1e9 fill, in a model served in
half precision: the fill happens in float32, where -1e9 fits."""
import math

import torch
from torch import nn


class EventAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.rel = nn.Parameter(torch.zeros(heads, 64, 64))

    def forward(self, x, is_pad):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)).float() / math.sqrt(d // self.heads)
        scores = scores.masked_fill(is_pad[:, None, None, :], -1e9)
        biased = torch.einsum("bhid,bhjd->bhij", q, k).to(torch.float32) * 0.1 + self.rel[:, :n, :n]
        biased = biased.masked_fill(is_pad[:, None, None, :], -1e9)
        w = (scores.softmax(-1) + biased.softmax(-1)).to(v.dtype) / 2
        return (w @ v).transpose(1, 2).reshape(b, n, d)


def serve(model: nn.Module, x, is_pad):
    return model.half()(x.half(), is_pad)
