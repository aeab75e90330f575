"""Buggy: Hugging Face-style eager attention, `scores + extended_mask`, where the extended mask is
attention_mask * finfo.min (the `1.0 -` is missing): real tokens get the large negative."""
import math

import torch
import torch.nn as nn

KIND = "buggy"


def extend(attention_mask, dtype):
    return attention_mask[:, None, None, :].to(dtype) * torch.finfo(dtype).min


class SelfAttention(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.h, self.d = heads, dim // heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.h, self.d).transpose(1, 2)

    def forward(self, x, mask):
        scores = self.split(self.q(x)) @ self.split(self.k(x)).transpose(-1, -2) / math.sqrt(self.d)
        scores = scores + mask  # expect: ML103
        out = scores.softmax(-1) @ self.split(self.v(x))
        return out.transpose(1, 2).reshape(x.shape)


def run():
    torch.manual_seed(0)
    ids = torch.tensor([[3, 4, 5, 6, 7], [3, 4, 5, 0, 0]])
    emb = nn.Embedding(10, 16)
    attn = SelfAttention().train()
    out = attn(emb(ids), extend((ids != 0).long(), torch.float32))
    out.sum().backward()
    return (out.detach(), emb.weight.grad)
