import math

import torch
import torch.nn.functional as F
from torch import nn


class MultiheadAttention(nn.Module):
    """Attention over spectrum peaks with an additive pairwise bias (MIST-style)."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, x, pairwise_bias=None, key_padding_mask=None):
        # x: (bsz, src_len, embed_dim); key_padding_mask: (bsz, src_len), True = padded peak
        bsz, src_len, _ = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q, k, v = (t.view(bsz, src_len, self.num_heads, self.head_dim).transpose(1, 2) for t in (q, k, v))
        attn = torch.matmul(q * self.scaling, k.transpose(-1, -2))  # (bsz, heads, src_len, src_len)
        if pairwise_bias is not None:
            attn = attn + pairwise_bias
        if key_padding_mask is not None:
            new_attn_mask = torch.zeros_like(key_padding_mask, dtype=attn.dtype)
            new_attn_mask = new_attn_mask.masked_fill(key_padding_mask, float("-inf"))
            attn = attn + new_attn_mask.view(bsz, 1, 1, src_len)
        attn = F.softmax(attn, dim=-1)
        attn = F.dropout(attn, p=self.dropout, training=self.training)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(bsz, src_len, self.embed_dim)
        return self.out_proj(out), attn


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MultiheadAttention(embed_dim=16, num_heads=4)
    peaks = torch.randn(2, 7, 16)
    num_peaks = torch.tensor([7, 4])
    pad = torch.arange(7)[None, :] >= num_peaks[:, None]
    peaks = peaks.masked_fill(pad[..., None], 0.0)  # zero-padded peak positions
    out, attn = mha(peaks, key_padding_mask=pad)
    print(out.shape)
    print("attention mass on padded peaks (spectrum 1):", attn[1][..., 4:].sum(-1).max().item())
    print("finite:", math.isfinite(out.abs().max().item()))
