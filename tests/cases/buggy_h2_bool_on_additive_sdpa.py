"""Additive causal mask reused for SDPA by casting to bool."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attn(nn.Module):
    def __init__(self, d=256, h=8):
        super().__init__()
        self.h = h
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)

    def forward(self, x):
        B, T, C = x.shape
        add_mask = nn.Transformer.generate_square_subsequent_mask(T, device=x.device)
        q = self.q(x).view(B, T, self.h, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=add_mask.bool())  # expect: ML102
        return y.transpose(1, 2).reshape(B, T, C)
