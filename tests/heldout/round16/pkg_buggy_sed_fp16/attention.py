import math

import torch
from torch import nn

from .constants import MASK_VALUE


class FrameAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, pad):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        logits = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        logits = logits.masked_fill(pad[:, None, None, :], MASK_VALUE)  # expect: ML205
        out = torch.matmul(logits.softmax(-1), v)
        return self.proj(out.transpose(1, 2).reshape(b, n, d))
