"""Decoder attention for a protein LM (SDPA, explicit keep mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidueAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        earlier = torch.ones(L, L, dtype=torch.bool, device=x.device).tril(diagonal=-1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=earlier)  # expect: ML404
        return self.proj(y.transpose(1, 2).reshape(B, L, D))
