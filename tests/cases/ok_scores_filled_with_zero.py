"""Scores hidden with -inf, and probabilities zeroed after the softmax (silent)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, d=64, h=4, block_size=128):
        super().__init__()
        self.h = h
        self.c_attn = nn.Linear(d, 3 * d)
        self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.h, C // self.h).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        return (att @ v).transpose(1, 2).contiguous().view(B, T, C)


def padded_rows_zeroed(q, k, v, key_padding_mask):
    """Fully padded rows are NaN after the softmax; zero the probabilities there."""
    w = torch.matmul(q, k.transpose(-1, -2))
    w = w.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    p = w.softmax(-1)
    p = p.masked_fill(key_padding_mask[:, None, None, :], 0.0)
    return torch.matmul(p, v)
