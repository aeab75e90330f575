import numpy as np
import torch
import torch.nn as nn


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_model, n_heads, attn_dropout=0.0):
        super().__init__()
        self.attn_dropout = nn.Dropout(attn_dropout)
        self.scale = (d_model // n_heads) ** -0.5

    def forward(self, q, k, v, attn_mask=None):
        attn_scores = torch.matmul(q, k) * self.scale
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_scores.masked_fill_(attn_mask, -np.inf)
            else:
                attn_scores += attn_mask
        attn_weights = self.attn_dropout(torch.softmax(attn_scores, dim=-1))
        return torch.matmul(attn_weights, v), attn_weights


class _MultiheadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model)
        self.W_K = nn.Linear(d_model, d_model)
        self.W_V = nn.Linear(d_model, d_model)
        self.sdp_attn = _ScaledDotProductAttention(d_model, n_heads)
        self.to_out = nn.Linear(d_model, d_model)

    def forward(self, Q, attn_mask=None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(Q).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        output, attn = self.sdp_attn(q_s, k_s, v_s, attn_mask=attn_mask)
        return self.to_out(output.transpose(1, 2).reshape(bs, -1, self.n_heads * self.d_k)), attn


class TSTForecaster(nn.Module):
    """Time-series transformer; each step may only look at itself and the past."""

    def __init__(self, c_in, seq_len, d_model=32, n_heads=4):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.W_pos = nn.Parameter(torch.randn(1, seq_len, d_model) * 0.02)
        self.attn = _MultiheadAttention(d_model, n_heads)
        self.head = nn.Linear(d_model, 1)
        self.attn_mask = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.uint8), diagonal=1)  # BUG

    def forward(self, x):
        u = self.W_P(x.transpose(1, 2)) + self.W_pos
        z, _ = self.attn(u, attn_mask=self.attn_mask)
        return self.head(z + u).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TSTForecaster(c_in=3, seq_len=12).eval()
    x = torch.randn(4, 3, 12)
    with torch.no_grad():
        y = model(x)
        x2 = x.clone()
        x2[..., 8:] = torch.randn(4, 3, 4)
        leak = (model(x2)[:, :8] - y[:, :8]).abs().max().item()
    print(f"future leak: max |d forecast[:, :8]| after editing steps 8.. = {leak:.4f}")
