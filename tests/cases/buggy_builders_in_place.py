"""Masks built in place from torch.empty, per sample over enumerate(lengths), and with a bias of
unknown origin added."""
from typing import List

import torch
import torch.nn.functional as F
from torch import nn


def causal_bias(size: int) -> torch.Tensor:
    bias = torch.empty(size, size).fill_(float("-inf"))
    bias.triu_()  # diagonal 0: hides j >= i
    return bias


class Block(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h)

    def forward(self, x):
        return self.attn(x, x, x, attn_mask=causal_bias(x.size(0)))[0]  # expect: ML404


def padded_attention(q, k, v, lengths: List[int]):
    B, H, T, E = q.shape
    pad = torch.zeros(B, T, dtype=torch.bool)
    for i, n in enumerate(lengths):
        pad[i, n:] = True
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])  # expect: ML102


class RelativeBias(nn.Module):
    def __init__(self, buckets=32, heads=4):
        super().__init__()
        self.table = nn.Embedding(buckets, heads)

    def bias(self, buckets):
        return self.table(buckets).permute(2, 0, 1).unsqueeze(0)

    def forward(self, q, k, v, buckets):
        T = q.size(-2)
        visible = torch.tril(torch.ones(T, T))  # 1 = visible: added, it masks nothing
        return F.scaled_dot_product_attention(q, k, v, attn_mask=self.bias(buckets) + visible)  # expect: ML202
