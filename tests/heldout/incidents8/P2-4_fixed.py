from typing import Optional

import numpy as np
import torch
import torch.nn as nn
from torch import Tensor


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_k: int):
        super().__init__()
        self.d_k = d_k

    def forward(self, q: Tensor, k: Tensor, v: Tensor, mask: Optional[Tensor] = None):
        scores = torch.matmul(q, k) / np.sqrt(self.d_k)
        if mask is not None:
            if mask.dtype == torch.bool:
                scores.masked_fill_(mask, -np.inf)
            else:
                scores += mask
        attn = torch.softmax(scores, dim=-1)
        context = torch.matmul(attn, v)
        return context, attn


class _MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, d_k: int, d_v: int):
        super().__init__()
        self.n_heads, self.d_k, self.d_v = n_heads, d_k, d_v
        self.W_Q = nn.Linear(d_model, d_k * n_heads, bias=False)
        self.W_K = nn.Linear(d_model, d_k * n_heads, bias=False)
        self.W_V = nn.Linear(d_model, d_v * n_heads, bias=False)
        self.W_O = nn.Linear(n_heads * d_v, d_model, bias=False)
        self.sdpa = _ScaledDotProductAttention(d_k)

    def forward(self, Q: Tensor, K: Tensor, V: Tensor, mask: Optional[Tensor] = None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_v).transpose(1, 2)
        context, attn = self.sdpa(q_s, k_s, v_s, mask)
        context = context.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_v)
        return self.W_O(context), attn


class TSTEncoderLayer(nn.Module):
    def __init__(self, q_len, d_model=32, n_heads=4, d_ff=64):
        super().__init__()
        self.self_attn = _MultiHeadAttention(d_model, n_heads, d_model // n_heads, d_model // n_heads)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.GELU(), nn.Linear(d_ff, d_model))
        self.norm1 = nn.BatchNorm1d(q_len)
        self.norm2 = nn.BatchNorm1d(q_len)
        self.register_buffer("causal_mask", torch.triu(torch.ones(q_len, q_len), diagonal=1).bool())

    def forward(self, src: Tensor) -> Tensor:
        src2, _ = self.self_attn(src, src, src, mask=self.causal_mask)
        src = self.norm1(src + src2)
        return self.norm2(src + self.ff(src))


if __name__ == "__main__":
    layer = TSTEncoderLayer(q_len=12)
    x = torch.randn(4, 12, 32)
    print(layer(x).shape)
