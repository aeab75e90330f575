"""Correct: eager attention whose additive masks are built right from 0/1 masks (int, bool, float),
and adds of integer and bool tensors that are not masks: a bucketed relative position bias looked up
from int indices, a count of shared tokens added to features, and an int mask turned into 0/-inf
through a helper before it is added."""
import math

import torch
import torch.nn as nn

KIND = "correct"


def to_additive(mask, dtype):
    return (1 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class Model(nn.Module):
    def __init__(self, d=16, heads=2, buckets=8):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.rel = nn.Embedding(buckets, heads)
        self.out = nn.Linear(d, 3)

    def forward(self, x, attention_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        pos = torch.arange(T)
        buckets = (pos[None, :] - pos[:, None]).clamp(-4, 3) + 4
        s = q @ k.transpose(-1, -2) / math.sqrt(C // self.h)
        s = s + self.rel(buckets.clamp(max=7)).permute(2, 0, 1)[None]
        s = s + to_additive(attention_mask, s.dtype)
        keep = attention_mask.bool()[:, None, None, :] & torch.ones(T, T, dtype=torch.bool).tril()
        s2 = s.masked_fill(~keep, float("-inf"))
        y = (s2.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)
        shared = (x > 0).sum(-1, keepdim=True)  # int (B, T, 1) added to features: not a mask
        y = y + shared
        return self.out(y).mean(1)


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 5, 16)
    am = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    m = Model()
    loss = m(x, am).pow(2).mean()
    loss.backward()
    return (loss.detach(),)
