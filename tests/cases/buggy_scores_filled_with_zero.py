"""Scores "masked" with 0 before the softmax (P2-11): exp(0) still gives the hidden keys weight."""
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
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, 0.0)  # expect: ML202
        att = F.softmax(att, dim=-1)
        return (att @ v).transpose(1, 2).contiguous().view(B, T, C)


def seq_first_attention(q, k, v, key_padding_mask, num_heads):
    """q, k, v: (B*H, L, D); key_padding_mask: (B, S) bool, True = padding."""
    bsz = key_padding_mask.size(0)
    w = torch.bmm(q, k.transpose(1, 2))
    w = w.view(bsz, num_heads, w.size(1), w.size(2))
    w.masked_fill_(key_padding_mask[:, None, None, :], 0)  # expect: ML202
    w = w.view(bsz * num_heads, w.size(2), w.size(3))
    return torch.bmm(w.softmax(-1), v)
