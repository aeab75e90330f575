from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class MultiheadAttention(nn.Module):
    """Peak self-attention with additive pairwise (formula-difference) bias."""

    def __init__(self, embed_dim: int, num_heads: int, pairwise_dim: int = 8, dropout: float = 0.0):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim**-0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.bias_u = nn.Parameter(torch.zeros(num_heads, self.head_dim))
        self.pair_proj = nn.Linear(pairwise_dim, num_heads)
        self.dropout = dropout

    def forward(self, query: Tensor, key_padding_mask: Optional[Tensor] = None, pairwise: Optional[Tensor] = None):
        tgt_len, bsz, _ = query.shape
        q, k, v = self.in_proj(query).chunk(3, dim=-1)
        q = q.view(tgt_len, bsz, self.num_heads, self.head_dim) * self.scaling
        k = k.view(tgt_len, bsz, self.num_heads, self.head_dim)
        v = v.view(tgt_len, bsz, self.num_heads, self.head_dim)
        attn = torch.einsum("ibnd,jbnd->bnij", q + self.bias_u, k)
        if pairwise is not None:
            attn = attn + self.pair_proj(pairwise).permute(0, 3, 1, 2)

        if key_padding_mask is not None:
            new_attn_mask = torch.zeros_like(key_padding_mask, dtype=q.dtype)
            new_attn_mask = new_attn_mask.masked_fill(key_padding_mask, float("-inf"))
            attn = attn * (~key_padding_mask)[:, None, None, :].to(attn.dtype)  # BUG

        attn = F.softmax(attn, dim=-1)
        attn = F.dropout(attn, p=self.dropout, training=self.training)
        out = torch.einsum("bnij,jbnd->ibnd", attn, v).reshape(tgt_len, bsz, self.embed_dim)
        return self.out_proj(out), attn


class FormulaTransformerLayer(nn.Module):
    def __init__(self, d_model=32, nhead=4, dim_feedforward=64):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.ReLU(), nn.Linear(dim_feedforward, d_model))
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, src, src_key_padding_mask=None, pairwise_features=None):
        src2, _ = self.self_attn(src, key_padding_mask=src_key_padding_mask, pairwise=pairwise_features)
        src = self.norm1(src + src2)
        return self.norm2(src + self.ff(src))


if __name__ == "__main__":
    layer = FormulaTransformerLayer()
    num_peaks = torch.tensor([10, 6])
    src = torch.randn(10, 2, 32)
    pad = torch.arange(10)[None, :] >= num_peaks[:, None]
    pairwise = torch.randn(2, 10, 10, 8)
    print(layer(src, src_key_padding_mask=pad, pairwise_features=pairwise).shape)
