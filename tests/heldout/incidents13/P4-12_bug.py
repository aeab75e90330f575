from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class ScaledDotProductConfig:
    dropout: float = 0.0
    causal: bool = False
    seq_len: Optional[int] = None


ATTENTION_REGISTRY = {}


def register_attention(name):
    def deco(cls):
        ATTENTION_REGISTRY[name] = cls
        return cls
    return deco


def _causal_mask(seq_len, device):
    return torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))


@register_attention("scaled_dot_product")
class ScaledDotProduct(nn.Module):
    """att_mask convention: bool, True = the key may be attended."""

    def __init__(self, dropout=0.0, causal=False, seq_len=None, *args, **kwargs):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.seq_len = seq_len

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None):
        if self.causal and att_mask is not None:  # BUG
            causal = _causal_mask(q.shape[-2], q.device)
            att_mask = causal if att_mask is None else att_mask & causal
        att = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
        if att_mask is not None:
            att = att.masked_fill(~att_mask, float("-inf"))
        att = self.attn_drop(att.softmax(dim=-1))
        return att @ v


def build_attention(config: ScaledDotProductConfig):
    return ATTENTION_REGISTRY["scaled_dot_product"](**config.__dict__)


class MultiHeadDispatch(nn.Module):
    def __init__(self, dim_model, num_heads, attention):
        super().__init__()
        self.num_heads = num_heads
        self.in_proj = nn.Linear(dim_model, 3 * dim_model)
        self.attention = attention
        self.proj = nn.Linear(dim_model, dim_model)

    def forward(self, x, att_mask=None):
        b, s, e = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.num_heads, e // self.num_heads).permute(2, 0, 3, 1, 4)
        out = self.attention(q, k, v, att_mask=att_mask)
        return self.proj(out.transpose(1, 2).reshape(b, s, e))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = build_attention(ScaledDotProductConfig(causal=True, seq_len=10))
    mha = MultiHeadDispatch(dim_model=32, num_heads=4, attention=attn).eval()
    x = torch.randn(2, 10, 32)
    with torch.no_grad():
        y = mha(x)
        x2 = x.clone()
        x2[:, 5:] = torch.randn(2, 5, 32)
        leak = (mha(x2)[:, :5] - y[:, :5]).abs().max().item()
    print(f"causal=True, no att_mask: future leak on positions 0-4 = {leak:.4f}")
