"""tsai-style TST backbone: _ScaledDotProductAttention accepts either a bool
mask (masked_fill) or a float mask (added to the scores)."""
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
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model, bias=False)
        self.W_K = nn.Linear(d_model, d_model, bias=False)
        self.W_V = nn.Linear(d_model, d_model, bias=False)
        self.sdp = _ScaledDotProductAttention(self.d_k)
        self.W_O = nn.Linear(d_model, d_model)

    def forward(self, Q, K, V, mask=None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        out, attn = self.sdp(q_s, k_s, v_s, mask)
        return self.W_O(out.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_k)), attn


class TSTEncoder(nn.Module):
    def __init__(self, c_in=3, q_len=12, d_model=16, n_heads=2):
        super().__init__()
        self.proj = nn.Linear(c_in, d_model)
        self.attn = _MultiHeadAttention(d_model, n_heads)
        self.q_len = q_len

    def forward(self, x):  # x: [bs, q_len, c_in]
        u = self.proj(x)
        attn_mask = torch.triu(torch.ones(self.q_len, self.q_len), diagonal=1)  # BUG
        out, attn = self.attn(u, u, u, mask=attn_mask)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = TSTEncoder()
    x = torch.randn(2, 12, 3)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 3)
    print("prefix change when last step changes:", (enc(x)[:, :-1] - enc(x2)[:, :-1]).abs().max().item())
