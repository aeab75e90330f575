"""Masks of a rank nn.MultiheadAttention rejects or misreads, and a raw padding mask for SDPA.

MHA takes a 2-D (L, S) or 3-D (N*H, L, S) attn_mask and a 2-D (N, S) key_padding_mask: a 4-D
(N, H, L, S) mask or a 3-D padding mask is an AssertionError, an (N, L, S) mask is a shape
error (or silently per-head when N == H on the fast path).  SDPA broadcasts its mask against
(N, H, L, S): an (N, S) padding mask lines N up with the query axis.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedEncoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, pad_id=0):
        super().__init__()
        self.num_heads = num_heads
        self.pad_id = pad_id
        self.attn = nn.MultiheadAttention(d_model, num_heads, batch_first=True)

    def forward(self, x, ids):
        T = x.size(1)
        pad = ids == self.pad_id
        by_head = pad[:, None, None, :].expand(-1, self.num_heads, T, -1)
        a, _ = self.attn(x, x, x, attn_mask=by_head, need_weights=False)  # expect: ML301
        per_sample = pad[:, None, :].expand(-1, T, -1)
        b, _ = self.attn(x, x, x, attn_mask=per_sample, need_weights=False)  # expect: ML301
        c, _ = self.attn(x, x, x, key_padding_mask=pad.unsqueeze(1), need_weights=False)  # expect: ML301
        return a + b + c


class SDPASelfAttention(nn.Module):
    def __init__(self, d_model, num_heads, pad_id=0):
        super().__init__()
        self.num_heads = num_heads
        self.pad_id = pad_id
        self.qkv = nn.Linear(d_model, 3 * d_model)

    def forward(self, x, input_ids):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        keep = input_ids != self.pad_id
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML301
        return y.transpose(1, 2).reshape(B, T, C)
