"""Time-series transformer backbone (TST-style) with its own scaled dot-product attention."""
from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_k: int):
        super().__init__()
        self.d_k = d_k

    def forward(self, q: Tensor, k: Tensor, v: Tensor, mask: Optional[Tensor] = None):
        scores = torch.matmul(q, k) / self.d_k ** 0.5  # k already transposed: [bs, n_heads, d_k, q_len]
        if mask is not None:
            if mask.dtype == torch.bool:
                scores.masked_fill_(mask, -1e9)
            else:
                scores += mask
        attn = torch.softmax(scores, dim=-1)
        return torch.matmul(attn, v), attn


class _MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model, bias=False)
        self.W_K = nn.Linear(d_model, d_model, bias=False)
        self.W_V = nn.Linear(d_model, d_model, bias=False)
        self.W_O = nn.Linear(d_model, d_model, bias=False)
        self.sdp = _ScaledDotProductAttention(self.d_k)

    def forward(self, Q, K, V, mask=None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        context, attn = self.sdp(q_s, k_s, v_s, mask)
        context = context.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_k)
        return self.W_O(context), attn


class TSTForecaster(nn.Module):
    def __init__(self, c_in, seq_len, d_model=32, n_heads=4, horizon=1):
        super().__init__()
        self.inp = nn.Linear(c_in, d_model)
        self.attn = _MultiHeadAttention(d_model, n_heads)
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, horizon)
        self.seq_len = seq_len

    def forward(self, x):  # x: [bs, c_in, seq_len]
        q_len = x.shape[-1]
        attn_mask = torch.triu(torch.ones(q_len, q_len, device=x.device), diagonal=1)  # BUG
        u = self.inp(x.transpose(1, 2))
        a, _ = self.attn(u, u, u, mask=attn_mask)
        u = self.norm(u + a)
        return self.out(u)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = TSTForecaster(c_in=3, seq_len=12)
    x = torch.randn(4, 3, 12)
    print(m(x).shape)
