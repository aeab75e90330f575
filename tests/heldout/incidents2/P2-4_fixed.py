from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_k: int):
        super().__init__()
        self.d_k = d_k

    def forward(self, q: Tensor, k: Tensor, v: Tensor, attn_mask: Optional[Tensor] = None):
        scores = torch.matmul(q, k) / (self.d_k ** 0.5)
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                scores.masked_fill_(attn_mask, float("-inf"))
            else:
                scores += attn_mask
        attn = F.softmax(scores, dim=-1)
        return torch.matmul(attn, v), attn


class _MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model, bias=False)
        self.W_K = nn.Linear(d_model, d_model, bias=False)
        self.W_V = nn.Linear(d_model, d_model, bias=False)
        self.W_O = nn.Linear(d_model, d_model)
        self.sdp = _ScaledDotProductAttention(self.d_k)

    def forward(self, Q: Tensor, attn_mask: Optional[Tensor] = None):
        bs, q_len, _ = Q.shape
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(Q).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        out, attn = self.sdp(q_s, k_s, v_s, attn_mask=attn_mask)
        return self.W_O(out.transpose(1, 2).reshape(bs, q_len, -1)), attn


class TSTForecaster(nn.Module):
    def __init__(self, c_in: int, seq_len: int, d_model: int = 128, n_heads: int = 16, horizon: int = 24):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.attn = _MultiHeadAttention(d_model, n_heads)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, horizon)
        self.seq_len = seq_len

    def forward(self, x: Tensor) -> Tensor:
        # x: (bs, c_in, seq_len)
        u = self.W_P(x.transpose(1, 2))
        causal_mask = torch.triu(torch.ones(self.seq_len, self.seq_len, device=x.device, dtype=torch.bool), diagonal=1)
        z, _ = self.attn(u, attn_mask=causal_mask)
        z = self.norm(u + z)
        return self.head(z[:, -1])


if __name__ == "__main__":
    model = TSTForecaster(c_in=7, seq_len=96)
    print(model(torch.randn(32, 7, 96)).shape)
