import numpy as np
import torch
import torch.nn as nn
from torch import Tensor
from typing import Optional


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_model, n_heads, attn_dropout=0.0, res_attention=False):
        super().__init__()
        self.attn_dropout = nn.Dropout(attn_dropout)
        self.res_attention = res_attention
        head_dim = d_model // n_heads
        self.scale = head_dim ** -0.5

    def forward(self, q: Tensor, k: Tensor, v: Tensor, prev: Optional[Tensor] = None, key_padding_mask: Optional[Tensor] = None, attn_mask: Optional[Tensor] = None):
        attn_scores = torch.matmul(q, k) * self.scale
        if prev is not None:
            attn_scores = attn_scores + prev
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_scores.masked_fill_(attn_mask, -np.inf)
            else:
                attn_scores += attn_mask
        if key_padding_mask is not None:
            attn_scores.masked_fill_(key_padding_mask.unsqueeze(1).unsqueeze(2), -np.inf)
        attn_weights = self.attn_dropout(torch.softmax(attn_scores, dim=-1))
        output = torch.matmul(attn_weights, v)
        return output, attn_weights


class _MultiheadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model)
        self.W_K = nn.Linear(d_model, d_model)
        self.W_V = nn.Linear(d_model, d_model)
        self.sdp_attn = _ScaledDotProductAttention(d_model, n_heads)
        self.to_out = nn.Linear(d_model, d_model)

    def forward(self, Q, K=None, V=None, key_padding_mask=None, attn_mask=None):
        bs = Q.size(0)
        K = Q if K is None else K
        V = Q if V is None else V
        q_s = self.W_Q(Q).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(K).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(V).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        output, attn_weights = self.sdp_attn(q_s, k_s, v_s, key_padding_mask=key_padding_mask, attn_mask=attn_mask)
        output = output.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * self.d_k)
        return self.to_out(output), attn_weights


class _TSTEncoderLayer(nn.Module):
    def __init__(self, d_model, n_heads, d_ff=32):
        super().__init__()
        self.self_attn = _MultiheadAttention(d_model, n_heads)
        self.norm_attn = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.GELU(), nn.Linear(d_ff, d_model))
        self.norm_ffn = nn.LayerNorm(d_model)

    def forward(self, src, key_padding_mask=None, attn_mask=None):
        src2, _ = self.self_attn(src, src, src, key_padding_mask=key_padding_mask, attn_mask=attn_mask)
        src = self.norm_attn(src + src2)
        return self.norm_ffn(src + self.ff(src))


class TSTForecaster(nn.Module):
    def __init__(self, c_in, q_len, d_model=16, n_heads=2, n_layers=2):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.W_pos = nn.Parameter(torch.randn(q_len, d_model) * 0.02)
        self.layers = nn.ModuleList([_TSTEncoderLayer(d_model, n_heads) for _ in range(n_layers)])
        self.head = nn.Linear(d_model, c_in)

    @staticmethod
    def causal_mask(q_len):
        return torch.triu(torch.ones(q_len, q_len), diagonal=1)  # BUG

    def forward(self, x):
        u = self.W_P(x.transpose(1, 2)) + self.W_pos
        attn_mask = self.causal_mask(u.shape[1])
        for layer in self.layers:
            u = layer(u, attn_mask=attn_mask)
        return self.head(u).transpose(1, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TSTForecaster(c_in=3, q_len=12).eval()
    xb = torch.randn(2, 3, 12)
    xb2 = xb.clone()
    xb2[..., -1] += 5.0
    with torch.no_grad():
        d = (model(xb)[..., :-1] - model(xb2)[..., :-1]).abs().max().item()
    print(f"prefix change when last time step changes: {d:.3e}")
