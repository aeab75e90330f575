from typing import Optional

import torch
import torch.nn as nn


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

    def _get_causal_mask(self, seq_len: int, device) -> torch.Tensor:
        if self.mask is not None and self.mask.size(0) >= seq_len:
            return self.mask[:seq_len, :seq_len]
        return torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, att_mask: Optional[torch.Tensor] = None):
        # q, k, v: (B*H, T, D); att_mask: bool, True = keep
        if self.causal:
            causal_mask = self._get_causal_mask(q.shape[-2], q.device)
            att_mask = causal_mask if att_mask is None else att_mask & causal_mask

        att = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
        if att_mask is not None:
            att = att.masked_fill(~att_mask, float("-inf"))
        att = self.attn_drop(torch.softmax(att, dim=-1))
        return att @ v


class MultiHeadDispatch(nn.Module):
    def __init__(self, dim_model: int, num_heads: int, attention: nn.Module):
        super().__init__()
        self.num_heads = num_heads
        self.attention = attention
        self.qkv = nn.Linear(dim_model, 3 * dim_model)
        self.proj = nn.Linear(dim_model, dim_model)

    def forward(self, x: torch.Tensor, att_mask: Optional[torch.Tensor] = None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2).reshape(B * self.num_heads, T, -1) for t in (q, k, v))
        y = self.attention(q, k, v, att_mask=att_mask)
        return self.proj(y.view(B, self.num_heads, T, -1).transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    attn = MultiHeadDispatch(256, 4, ScaledDotProduct(causal=True, seq_len=128))
    x = torch.randn(2, 64, 256)
    print(attn(x).shape)
