"""SDPA decoder with a 4-D keep mask merging padding and causality. Correct."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderAttn(nn.Module):
    def __init__(self, d=512, h=8):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, lengths):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        pos = torch.arange(T, device=x.device)
        key_ok = pos[None, :] < lengths[:, None]              # (B, T) True = real
        causal_ok = pos[:, None] >= pos[None, :]              # (T, T) True = may attend
        mask = key_ok[:, None, None, :] & causal_ok[None, None]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return y.transpose(1, 2).reshape(B, T, C)

    def loss(self, x, lengths, y):
        return (self(x[:, :-1], lengths - 1) - y[:, 1:]).square().mean()
