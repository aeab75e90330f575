"""An attention mask prepared and never passed (fairseq#1682, P5-10)."""
from typing import Optional

import torch
import torch.nn as nn


class EncoderLayer(nn.Module):
    def __init__(self, d=8, h=2):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h)

    def forward(self, x, encoder_padding_mask, attn_mask: Optional[torch.Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        x, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask)  # expect: ML504
        return x


def window(n, w=1):
    idx = torch.arange(n)
    return ((idx[:, None] - idx[None, :]).abs() > w).float()


def encode(x, pad):
    layer = EncoderLayer()
    return layer(x, pad, attn_mask=window(x.size(0)))


def decode_step(q, k, v, T):
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
    causal = ~future
    return torch.nn.functional.scaled_dot_product_attention(q, k, v)  # expect: ML504
