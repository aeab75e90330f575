import math
from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn


@dataclass
class ScaledDotProductConfig:
    dropout: float = 0.0
    causal: bool = False
    seq_len: Optional[int] = None


def _get_causal_mask(seq_len):
    return torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)).unsqueeze(0)


def scaled_dot_product_attention(q, k, v, att_mask, dropout=None):
    att = q @ k.transpose(-2, -1) / math.sqrt(k.size(-1))
    if att_mask is not None:
        att = att.masked_fill(~att_mask, float("-inf"))
    att = torch.softmax(att, dim=-1)
    if dropout is not None:
        att = dropout(att)
    return att @ v


class ScaledDotProduct(nn.Module):
    def __init__(self, config: ScaledDotProductConfig):
        super().__init__()
        self.attn_drop = nn.Dropout(config.dropout, inplace=False)
        self.causal = config.causal
        self.seq_len = config.seq_len
        self.mask = _get_causal_mask(config.seq_len) if config.causal and config.seq_len is not None else None

    def forward(self, q, k, v, att_mask=None):
        if self.causal and (self.mask is None or self.mask.shape[-1] != q.shape[-2]):
            self.mask = _get_causal_mask(q.shape[-2])
        if att_mask is not None and self.mask is not None:  # BUG
            att_mask = self.mask if att_mask is None else att_mask & self.mask
        return scaled_dot_product_attention(q, k, v, att_mask, dropout=self.attn_drop)


if __name__ == "__main__":
    torch.manual_seed(0)
    attention = ScaledDotProduct(ScaledDotProductConfig(causal=True, seq_len=12)).eval()
    q, k, v = (torch.randn(6, 12, 16) for _ in range(3))
    k2, v2 = k.clone(), v.clone()
    k2[:, 8:] += 1.0
    v2[:, 8:] += 1.0
    with torch.no_grad():
        d = (attention(q, k, v)[:, :8] - attention(q, k2, v2)[:, :8]).abs().max().item()
    print(f"causal=True, no att_mask: max |d out[:, :8]| after editing keys 8.. = {d:.4f}")
