"""Additive bias built with in-place masked_fill_, then handed to SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_bias(T, device):
    bias = torch.zeros(T, T, device=device)
    bias.masked_fill_(torch.ones(T, T, dtype=torch.bool, device=device).tril(), float("-inf"))
    return bias


class ARHead(nn.Module):
    def __init__(self, d=128, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        bias = build_bias(T, x.device)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103
        return y.transpose(1, 2).reshape(B, T, C)
