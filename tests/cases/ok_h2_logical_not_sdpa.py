"""Shared block mask converted for SDPA with logical_not(). Correct."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SDPAttn(nn.Module):
    def __init__(self, d=256, h=8, max_len=512):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("future", torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), 1), persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        allowed = self.future[:T, :T].logical_not()
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return y.transpose(1, 2).reshape(B, T, C)
