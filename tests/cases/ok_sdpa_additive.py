"""SDPA port that keeps the additive masks of the original nn.Transformer code."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AdditiveMaskAttention(nn.Module):
    def __init__(self, dim=64, heads=4, pad_id=0):
        super().__init__()
        self.heads, self.pad_id = heads, pad_id
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, ids):
        B, T, D = x.shape
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=x.device, dtype=x.dtype)
        pad_bias = torch.zeros(B, T, device=x.device, dtype=x.dtype).masked_fill(ids == self.pad_id, float("-inf"))
        bias = causal[None, None] + pad_bias[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.out(y.transpose(1, 2).reshape(B, T, D))
