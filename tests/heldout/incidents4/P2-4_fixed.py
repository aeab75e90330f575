from functools import partial

import numpy as np
import torch
from torch import nn


class _ScaledDotProductAttention(nn.Module):
    def __init__(self, d_k, attn_dropout=0.0):
        super().__init__()
        self.scale = d_k ** -0.5
        self.attn_dropout = nn.Dropout(attn_dropout)

    def forward(self, q, k, v, attn_mask=None):
        attn_scores = torch.matmul(q, k) * self.scale
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                attn_scores.masked_fill_(attn_mask, -np.inf)
            else:
                attn_scores += attn_mask
        attn = self.attn_dropout(torch.softmax(attn_scores, dim=-1))
        return torch.matmul(attn, v), attn


class _MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.W_Q = nn.Linear(d_model, d_model)
        self.W_K = nn.Linear(d_model, d_model)
        self.W_V = nn.Linear(d_model, d_model)
        self.sdp_attn = _ScaledDotProductAttention(self.d_k)
        self.W_O = nn.Linear(d_model, d_model)

    def forward(self, x, attn_mask=None):
        bs, q_len, _ = x.shape
        q_s = self.W_Q(x).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        k_s = self.W_K(x).view(bs, -1, self.n_heads, self.d_k).permute(0, 2, 3, 1)
        v_s = self.W_V(x).view(bs, -1, self.n_heads, self.d_k).transpose(1, 2)
        out, attn = self.sdp_attn(q_s, k_s, v_s, attn_mask=attn_mask)
        return self.W_O(out.transpose(1, 2).contiguous().view(bs, q_len, -1)), attn


def subsequent_mask(q_len, device=None):
    return torch.triu(torch.ones(q_len, q_len, device=device, dtype=torch.bool), diagonal=1)


def no_mask(q_len, device=None):
    return None


MASK_FACTORIES = {"causal": subsequent_mask, "none": no_mask}


class _TSTEncoderLayer(nn.Module):
    def __init__(self, d_model, n_heads, d_ff=256, dropout=0.1):
        super().__init__()
        self.self_attn = _MultiHeadAttention(d_model, n_heads)
        self.norm_attn = nn.BatchNorm1d(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.GELU(), nn.Dropout(dropout), nn.Linear(d_ff, d_model))
        self.norm_ffn = nn.BatchNorm1d(d_model)

    def forward(self, src, attn_mask=None):
        src2, _ = self.self_attn(src, attn_mask=attn_mask)
        src = self.norm_attn((src + src2).transpose(1, 2)).transpose(1, 2)
        return self.norm_ffn((src + self.ff(src)).transpose(1, 2)).transpose(1, 2)


class TST(nn.Module):
    def __init__(self, c_in, c_out, seq_len, d_model=64, n_heads=4, n_layers=2, mask_type="causal"):
        super().__init__()
        self.W_P = nn.Linear(c_in, d_model)
        self.W_pos = nn.Parameter(torch.zeros(seq_len, d_model))
        self.layers = nn.ModuleList([_TSTEncoderLayer(d_model, n_heads) for _ in range(n_layers)])
        self.make_mask = partial(MASK_FACTORIES[mask_type], seq_len)
        self.head = nn.Linear(d_model, c_out)

    def forward(self, x):
        u = self.W_P(x.transpose(1, 2)) + self.W_pos
        mask = self.make_mask(device=x.device)
        for layer in self.layers:
            u = layer(u, attn_mask=mask)
        return self.head(u[:, -1])
