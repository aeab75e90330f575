"""Masks converted and then passed on (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderLayer(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads)

    def forward(self, x, padding_mask, attn_mask=None):
        if attn_mask is not None:
            attn_mask = attn_mask.to(torch.bool)
        return self.self_attn(x, x, x, key_padding_mask=padding_mask, attn_mask=attn_mask)[0]


class Block(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        if attention_mask is not None:
            attention_mask = attention_mask[:, None, None, :].bool()
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return y.transpose(1, 2).reshape(b, t, d)
