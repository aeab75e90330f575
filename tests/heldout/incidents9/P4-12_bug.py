from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn


@dataclass
class ScaledDotProductConfig:
    dropout: float = 0.0
    causal: bool = False
    seq_len: Optional[int] = None


def _get_causal_mask(seq_len: int, device=None) -> torch.Tensor:
    # True where attention is allowed
    return torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))


class ScaledDotProduct(nn.Module):
    def __init__(self, config: ScaledDotProductConfig):
        super().__init__()
        self.attn_drop = nn.Dropout(config.dropout)
        self.causal = config.causal
        self.seq_len = config.seq_len
        if self.causal and self.seq_len is not None:
            self.register_buffer("mask", _get_causal_mask(self.seq_len))
        else:
            self.mask = None

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None):
        """att_mask: bool, True = keep. q, k, v: (B * heads, S, head_dim)."""
        # Mask-aware attention
        if att_mask is not None and self.causal:  # BUG
            mask = self.mask if self.mask is not None else _get_causal_mask(q.shape[1], q.device)
            att_mask = att_mask & mask
        att = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
        if att_mask is not None:
            att = att.masked_fill(~att_mask, float("-inf"))
        att = self.attn_drop(torch.softmax(att, dim=-1))
        return att @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    attention = ScaledDotProduct(ScaledDotProductConfig(causal=True, seq_len=8))
    q = k = v = torch.randn(4, 8, 16)
    out = attention(q, k, v)  # decoder call without any extra mask
    v2 = v.clone()
    v2[:, -1] += 1.0
    out2 = attention(q, k, v2)
    print(out.shape)
    print("first 7 positions see the last value:", (out2 - out)[:, :-1].abs().max().item())
