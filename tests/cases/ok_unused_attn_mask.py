from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderLayer(nn.Module):
    def __init__(self, d=8, h=2):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h)

    def forward(self, x, encoder_padding_mask, attn_mask: Optional[torch.Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        x, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        return x


def window(n, w=1):
    idx = torch.arange(n)
    return ((idx[:, None] - idx[None, :]).abs() > w).float()


def encode(x, pad):
    return EncoderLayer()(x, pad, attn_mask=window(x.size(0)))


def decode_step(q, k, v, T):
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)


class Dispatch(nn.Module):
    """The bool branch only runs for bool masks: a 0/1 float never meets `scores + mask`."""

    def attend(self, q, k, v, attn_mask=None):
        scores = q @ k.transpose(-2, -1)
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                scores = scores.masked_fill(attn_mask, float("-inf"))
            else:
                scores = scores + attn_mask
        return scores.softmax(-1) @ v

    def attend_inline(self, q, k, v, attn_mask):
        scores = q @ k.transpose(-2, -1)
        scores = scores.masked_fill(attn_mask, float("-inf")) if attn_mask.dtype == torch.bool else scores + attn_mask
        return scores.softmax(-1) @ v

    def forward(self, q, k, v):
        T = q.size(-2)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        return self.attend(q, k, v, future) + self.attend_inline(q, k, v, future)
