import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_k: int):
        super().__init__()
        self.d_k = d_k

    def forward(self, q, k, v, mask=None):
        # q: [bs x n_heads x q_len x d_k], k: [bs x n_heads x d_k x q_len], v: [bs x n_heads x q_len x d_v]
        scores = torch.matmul(q, k) / np.sqrt(self.d_k)
        if mask is not None:
            if mask.dtype == torch.bool:
                scores.masked_fill_(mask, -np.inf)
            else:
                scores += mask
        attn = F.softmax(scores, dim=-1)
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
    """Time-series transformer that predicts the next step from past steps only."""

    def __init__(self, c_in=3, d_model=16, n_heads=4, q_len=12):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.attn = _MultiHeadAttention(d_model, n_heads)
        self.head = nn.Linear(d_model, c_in)
        self.register_buffer("attn_mask", torch.triu(torch.ones(q_len, q_len), diagonal=1))  # BUG

    def forward(self, x):  # x: [bs x q_len x c_in]
        u = self.W_P(x)
        z, attn = self.attn(u, u, u, mask=self.attn_mask)
        return self.head(u + z), attn


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TSTForecaster()
    x = torch.randn(4, 12, 3)
    y, attn = model(x)
    print(y.shape)
    print("attention weight above the diagonal:", attn.triu(diagonal=1).sum(-1).max().item())
