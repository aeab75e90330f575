import numpy as np
import torch
from torch import nn
from torch.nn import Module


class _ScaledDotProductAttention(Module):
    def __init__(self, d_model, n_heads, attn_dropout=0.0):
        super().__init__()
        head_dim = d_model // n_heads
        self.attn_dropout = nn.Dropout(attn_dropout)
        self.scale = head_dim ** -0.5

    def forward(self, q, k, v, attn_mask=None):
        attn_scores = torch.matmul(q, k) * self.scale
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_scores.masked_fill_(attn_mask, -np.inf)
            else:
                attn_scores += attn_mask
        attn_weights = self.attn_dropout(torch.softmax(attn_scores, dim=-1))
        return torch.matmul(attn_weights, v), attn_weights


class _MultiheadAttention(Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        d_k = d_v = d_model // n_heads
        self.n_heads, self.d_k, self.d_v = n_heads, d_k, d_v
        self.W_Q = nn.Linear(d_model, d_k * n_heads)
        self.W_K = nn.Linear(d_model, d_k * n_heads)
        self.W_V = nn.Linear(d_model, d_v * n_heads)
        self.sdp_attn = _ScaledDotProductAttention(d_model, n_heads)
        self.to_out = nn.Linear(n_heads * d_v, d_model)

    def forward(self, Q, K=None, V=None, attn_mask=None):
        bs = Q.size(0)
        K = Q if K is None else K
        V = Q if V is None else V
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_v).transpose(1, 2)
        output, attn_weights = self.sdp_attn(q_s, k_s, v_s, attn_mask=attn_mask)
        output = output.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_v)
        return self.to_out(output), attn_weights


class TSTForecaster(Module):
    def __init__(self, c_in, q_len, d_model=32, n_heads=4):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.W_pos = nn.Parameter(torch.empty(q_len, d_model).uniform_(-0.02, 0.02))
        self.attn = _MultiheadAttention(d_model, n_heads)
        self.head = nn.Linear(d_model, c_in)

    def forward(self, x):
        q_len = x.shape[1]
        attn_mask = torch.triu(torch.ones(q_len, q_len), diagonal=1).bool()
        u = self.W_P(x) + self.W_pos[:q_len]
        z, _ = self.attn(u, attn_mask=attn_mask)
        return self.head(u + z)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TSTForecaster(c_in=3, q_len=24).eval()
    x = torch.randn(4, 24, 3)
    x_future = x.clone()
    x_future[:, 12:] += 5.0
    with torch.no_grad():
        d = (model(x)[:, :12] - model(x_future)[:, :12]).abs().max().item()
    print(f"look-ahead leak: max |d pred[:, :12]| after shifting steps 12.. = {d:.4f}")
