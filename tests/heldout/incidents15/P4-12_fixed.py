from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class ScaledDotProductConfig:
    dropout: float = 0.0
    causal: bool = False
    seq_len: Optional[int] = None


def scaled_query_key_softmax(q, k, att_mask):
    q = q / (k.size(-1) ** 0.5)
    att = q @ k.transpose(-2, -1)
    if att_mask is not None:
        att = att.masked_fill(~att_mask, float("-inf"))
    return torch.softmax(att, dim=att.ndim - 1)


class ScaledDotProduct(nn.Module):
    def __init__(self, dropout: float = 0.0, causal: bool = False, seq_len: Optional[int] = None, *_, **__):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.seq_len = seq_len
        self.mask = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)) if causal and seq_len else None

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None, *args, **kwargs):
        if self.causal:  # BUG
            seq_len = q.shape[-2]
            if self.mask is None or self.mask.shape[0] < seq_len:
                self.mask = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=q.device))
            causal = self.mask[:seq_len, :seq_len]
            att_mask = causal if att_mask is None else att_mask & causal
        att = scaled_query_key_softmax(q, k, att_mask=att_mask)
        att = self.attn_drop(att)
        return att @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = ScaledDotProductConfig(causal=True, seq_len=8)
    attention = ScaledDotProduct(**vars(cfg))
    q, k, v = (torch.randn(2, 6, 8) for _ in range(3))
    y = attention(q, k, v)
    k2, v2 = k.clone(), v.clone()
    k2[:, 3:], v2[:, 3:] = torch.randn(2, 3, 8), torch.randn(2, 3, 8)
    y2 = attention(q, k2, v2)
    print(f"causal=True, no att_mask: future leak into positions 0-2: {(y[:, :3] - y2[:, :3]).abs().max().item():.4f}")
