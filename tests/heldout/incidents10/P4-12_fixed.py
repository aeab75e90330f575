"""xformers/components/attention/scaled_dot_product.py (early 2021 style)."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class ScaledDotProductConfig:
    dropout: float = 0.0
    causal: bool = False
    seq_len: Optional[int] = None


def _causal_mask(seq_len, device=None):
    return torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))


def scaled_dot_product_attention(q, k, v, att_mask, dropout=None):
    att = q @ k.transpose(-2, -1) / (q.size(-1) ** 0.5)
    if att_mask is not None:
        att = att.masked_fill(~att_mask, float("-inf"))
    att = torch.softmax(att, dim=-1)
    if dropout is not None:
        att = dropout(att)
    return att @ v


class ScaledDotProduct(nn.Module):
    """att_mask: bool, True = may attend."""

    def __init__(self, config: ScaledDotProductConfig):
        super().__init__()
        self.attn_drop = nn.Dropout(config.dropout, inplace=False)
        self.causal = config.causal
        self.seq_len = config.seq_len
        if self.causal and self.seq_len is not None:
            self.register_buffer("mask", _causal_mask(self.seq_len))
        else:
            self.mask = None

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None):
        if self.causal and self.mask is None:
            self.mask = _causal_mask(q.shape[-2], q.device)
        if self.mask is not None:
            att_mask = self.mask if att_mask is None else att_mask & self.mask
        return scaled_dot_product_attention(q, k, v, att_mask, dropout=self.attn_drop)


if __name__ == "__main__":
    torch.manual_seed(0)
    attention = ScaledDotProduct(ScaledDotProductConfig(causal=True, seq_len=6))
    q, k, v = (torch.randn(2, 6, 8) for _ in range(3))
    k2, v2 = k.clone(), v.clone(); k2[:, -1] = torch.randn(2, 8); v2[:, -1] = torch.randn(2, 8)
    a, b = attention(q, k, v), attention(q, k2, v2)
    print("prefix change when last key/value changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
