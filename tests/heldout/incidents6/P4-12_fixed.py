"""Pluggable attention block: scaled dot-product core with optional causal masking."""
import math
from typing import Optional

import torch
import torch.nn as nn


def _matmul_with_mask(q, k, att_mask: Optional[torch.Tensor]):
    att = q @ k.transpose(-2, -1)
    if att_mask is not None:
        if att_mask.dtype == torch.bool:
            att = att.masked_fill(~att_mask, float("-inf"))
        else:
            att = att + att_mask
    return att


class ScaledDotProduct(nn.Module):
    def __init__(self, dropout: float = 0.0, causal: bool = False, seq_len: int = 64):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.register_buffer("mask", torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)), persistent=False)

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None):
        seq = q.shape[-2]
        if self.causal:
            causal_mask = self.mask[:seq, :seq]
            att_mask = causal_mask if att_mask is None else att_mask & causal_mask
        q = q / math.sqrt(k.size(-1))
        att = _matmul_with_mask(q, k, att_mask)
        att = torch.softmax(att, dim=-1)
        att = self.attn_drop(att)
        return att @ v


class MultiHeadDispatch(nn.Module):
    def __init__(self, dim_model, num_heads, attention):
        super().__init__()
        self.num_heads = num_heads
        self.in_proj = nn.Linear(dim_model, 3 * dim_model)
        self.proj = nn.Linear(dim_model, dim_model)
        self.attention = attention

    def forward(self, x, att_mask=None):
        B, S, E = x.shape
        q, k, v = self.in_proj(x).view(B, S, 3, self.num_heads, E // self.num_heads).permute(2, 0, 3, 1, 4)
        y = self.attention(q, k, v, att_mask=att_mask)
        return self.proj(y.transpose(1, 2).reshape(B, S, E))


if __name__ == "__main__":
    torch.manual_seed(0)
    block = MultiHeadDispatch(32, 4, ScaledDotProduct(causal=True))
    x = torch.randn(2, 10, 32)
    print(block(x).shape, block(x, torch.ones(10, 10, dtype=torch.bool)).shape)
