"""Time-series transformer in the style of timeseriesAI/tsai (TSTPlus): a hand-written
scaled dot-product attention accepts either a bool mask or an additive mask."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_k, attn_dropout=0.0):
        super().__init__()
        self.attn_dropout = nn.Dropout(attn_dropout)
        self.scale = d_k ** -0.5

    def forward(self, q, k, v, attn_mask=None):
        attn_scores = torch.matmul(q, k) * self.scale
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_scores.masked_fill_(attn_mask, -np.inf)
            else:
                attn_scores += attn_mask
        attn_weights = self.attn_dropout(F.softmax(attn_scores, dim=-1))
        return torch.matmul(attn_weights, v), attn_weights


class _MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model)
        self.W_K = nn.Linear(d_model, d_model)
        self.W_V = nn.Linear(d_model, d_model)
        self.sdp_attn = _ScaledDotProductAttention(self.d_k)
        self.to_out = nn.Linear(d_model, d_model)

    def forward(self, Q, attn_mask=None):
        bs = Q.size(0)
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(Q).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        output, attn = self.sdp_attn(q_s, k_s, v_s, attn_mask=attn_mask)
        output = output.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_k)
        return self.to_out(output)


class _TSTEncoderLayer(nn.Module):
    def __init__(self, d_model, n_heads, d_ff=64):
        super().__init__()
        self.self_attn = _MultiHeadAttention(d_model, n_heads)
        self.norm_attn = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.GELU(), nn.Linear(d_ff, d_model))
        self.norm_ffn = nn.LayerNorm(d_model)

    def forward(self, src, attn_mask=None):
        src = self.norm_attn(src + self.self_attn(src, attn_mask=attn_mask))
        return self.norm_ffn(src + self.ff(src))


class TSTPlus(nn.Module):
    def __init__(self, c_in, c_out, seq_len, d_model=32, n_heads=4, n_layers=2, causal=True):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.W_pos = nn.Parameter(torch.randn(seq_len, d_model) * 0.02)
        self.layers = nn.ModuleList([_TSTEncoderLayer(d_model, n_heads) for _ in range(n_layers)])
        self.head = nn.Linear(d_model, c_out)
        if causal:
            self.register_buffer("attn_mask", torch.triu(torch.ones(seq_len, seq_len), diagonal=1).bool())
        else:
            self.attn_mask = None

    def forward(self, x):
        # x: [bs, c_in, seq_len] -> per-step forecast
        u = self.W_P(x.transpose(1, 2)) + self.W_pos
        for layer in self.layers:
            u = layer(u, attn_mask=self.attn_mask)
        return self.head(u).transpose(1, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    bs, c_in, seq_len = 8, 3, 24
    xb = torch.randn(bs, c_in, seq_len + 1)
    model = TSTPlus(c_in, c_in, seq_len)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    pred = model(xb[..., :-1])
    loss = F.mse_loss(pred, xb[..., 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("mse", loss.item())
