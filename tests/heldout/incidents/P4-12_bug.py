import math
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class AttentionConfig:
    dropout: float = 0.0
    causal: bool = False
    seq_len: Optional[int] = None


def scaled_dot_product_attention(q, k, v, att_mask: Optional[torch.Tensor], dropout: Optional[nn.Module] = None):
    att = q @ k.transpose(-2, -1) / math.sqrt(k.size(-1))
    if att_mask is not None:
        if att_mask.dtype == torch.bool:
            att = att.masked_fill(~att_mask, float("-inf"))  # bool masks: True = keep
        else:
            att = att + att_mask  # additive masks: -inf = masked
    att = torch.softmax(att, dim=-1)
    if dropout is not None:
        att = dropout(att)
    return att @ v


class ScaledDotProduct(nn.Module):
    def __init__(self, dropout: float = 0.0, causal: bool = False, seq_len: Optional[int] = None):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.seq_len = seq_len
        if causal and seq_len is not None:
            self.register_buffer("mask", torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)))
        else:
            self.mask = None

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None):
        # Mask-aware attention
        if att_mask is not None:
            if self.causal and self.mask is not None:
                seq = q.shape[-2]
                att_mask = att_mask & self.mask[:seq, :seq]  # BUG: causal mask only merged into an existing mask
        return scaled_dot_product_attention(q=q, k=k, v=v, att_mask=att_mask, dropout=self.attn_drop)  # BUG: no mask -> not causal


def build_attention(config: AttentionConfig):
    return ScaledDotProduct(dropout=config.dropout, causal=config.causal, seq_len=config.seq_len)


def run():
    attention = build_attention(AttentionConfig(causal=True, seq_len=16))
    q, k, v = (torch.randn(2, 2, 5, 4) for _ in range(3))
    return attention(q, k, v)
