from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class AttentionConfig:
    name: str
    dropout: float
    causal: bool = False
    seq_len: Optional[int] = None


def _causal_mask(seq_len: int) -> torch.Tensor:
    return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)


def scaled_query_key_softmax(q, k, att_mask: Optional[torch.Tensor]):
    q = q / q.size(-1) ** 0.5
    att = q @ k.transpose(-2, -1)
    if att_mask is not None:
        att = att + att_mask
    return torch.softmax(att, dim=-1)


class ScaledDotProduct(nn.Module):
    """Scaled dot product attention; an additive float att_mask may be given, a causal mask is deferred."""

    def __init__(self, dropout: float = 0.0, causal: bool = False, seq_len: Optional[int] = None, *args, **kwargs):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.seq_len = seq_len
        self.mask: Optional[torch.Tensor] = _causal_mask(seq_len) if causal and seq_len is not None else None

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, att_mask: Optional[torch.Tensor] = None, *args, **kwargs):
        if self.causal and self.mask is None:
            self.mask = _causal_mask(q.shape[-2])
        if self.mask is not None and att_mask is not None:  # BUG
            att_mask = self.mask[: q.shape[-2], : k.shape[-2]] if att_mask is None else att_mask + self.mask[: q.shape[-2], : k.shape[-2]]
        att = scaled_query_key_softmax(q, k, att_mask)
        att = self.attn_drop(att)
        return att @ v


class MultiHeadDispatch(nn.Module):
    def __init__(self, dim_model, num_heads, attention):
        super().__init__()
        self.num_heads = num_heads
        self.dim_k = dim_model // num_heads
        self.attention = attention
        self.in_proj = nn.Linear(dim_model, 3 * dim_model)
        self.proj = nn.Linear(dim_model, dim_model)

    def forward(self, x, att_mask=None):
        B, S, E = x.shape
        q, k, v = self.in_proj(x).view(B, S, 3, self.num_heads, self.dim_k).permute(2, 0, 3, 1, 4)
        y = self.attention(q, k, v, att_mask=att_mask)
        return self.proj(y.transpose(1, 2).reshape(B, S, E))


def build_attention(config: AttentionConfig):
    return ScaledDotProduct(dropout=config.dropout, causal=config.causal, seq_len=config.seq_len)


if __name__ == "__main__":
    torch.manual_seed(0)
    attention = build_attention(AttentionConfig(name="scaled_dot_product", dropout=0.0, causal=True))
    mha = MultiHeadDispatch(dim_model=32, num_heads=4, attention=attention).eval()
    x = torch.randn(2, 8, 32)
    x2 = x.clone()
    x2[:, -1] = torch.randn(2, 32)
    with torch.no_grad():
        d = (mha(x)[:, :-1] - mha(x2)[:, :-1]).abs().max().item()
    print(f"prefix change when last token changes (causal=True, no att_mask): {d:.3e}")
