import math

import torch
from torch import nn


def attend(q, k, v, keep):
    w = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    w = w.masked_fill(~keep, -1e9)
    return w.softmax(-1) @ v


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, keep):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return attend(q, k, v, keep[:, None, None, :]).transpose(1, 2).reshape(b, t, d)
