import math
from typing import Optional

import torch
import torch.nn as nn


def _matmul_with_mask(a, b, mask):
    att = torch.baddbmm(torch.zeros(a.shape[0], a.shape[1], b.shape[-1], dtype=a.dtype, device=a.device), a, b)
    if mask is None:
        return att
    if mask.dtype == torch.bool:
        return att.masked_fill(~mask, float("-inf"))
    return att + mask


def scaled_query_key_softmax(q, k, att_mask):
    q = q / math.sqrt(k.size(-1))
    att = _matmul_with_mask(q, k.transpose(-2, -1), att_mask)
    return torch.softmax(att, dim=att.ndim - 1)


def scaled_dot_product_attention(q, k, v, att_mask, dropout=None):
    att = scaled_query_key_softmax(q, k, att_mask)
    if dropout is not None:
        att = dropout(att)
    return torch.bmm(att, v), att


class ScaledDotProduct(nn.Module):
    mask: Optional[torch.Tensor]

    def __init__(self, dropout=0.0, causal=False, seq_len=None):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.seq_len = seq_len
        if causal and seq_len is not None:
            self.register_buffer("mask", torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)))
        else:
            self.mask = None

    def _causal(self, seq_len, device):
        if self.mask is not None and self.mask.shape[-1] >= seq_len:
            return self.mask[:seq_len, :seq_len]
        return torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None):
        if att_mask is not None and self.causal:  # BUG
            att_mask = att_mask & self._causal(q.shape[-2], q.device)[None]
        y, _ = scaled_dot_product_attention(q, k, v, att_mask, dropout=self.attn_drop)  # BUG
        return y


class MultiHeadDispatch(nn.Module):
    def __init__(self, dim_model, num_heads, attention):
        super().__init__()
        self.num_heads = num_heads
        self.dim_head = dim_model // num_heads
        self.in_proj = nn.Linear(dim_model, 3 * dim_model)
        self.attention = attention
        self.proj = nn.Linear(dim_model, dim_model)

    def forward(self, x, att_mask=None):
        b, s, _ = x.shape
        q, k, v = self.in_proj(x).view(b, s, 3, self.num_heads, self.dim_head).permute(2, 0, 3, 1, 4)
        q, k, v = (t.reshape(b * self.num_heads, s, self.dim_head) for t in (q, k, v))
        if att_mask is not None and att_mask.ndim == 2:
            att_mask = att_mask[:, None, :].expand(-1, s, -1).repeat_interleave(self.num_heads, dim=0)
        y = self.attention(q, k, v, att_mask=att_mask)
        y = y.view(b, self.num_heads, s, self.dim_head).transpose(1, 2).reshape(b, s, -1)
        return self.proj(y)
