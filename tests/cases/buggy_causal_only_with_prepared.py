"""The causal mask prepared under its own test of the flag, then merged only when a mask is given
(xformers#103, P4-12): the preparation is not a second path, so without a mask the layer still
runs bidirectional."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedTriangle(nn.Module):
    def __init__(self, causal=True, seq_len=None):
        super().__init__()
        self.causal = causal
        self.mask = None

    def forward(self, q, k, v, att_mask=None):
        if self.causal and self.mask is None:
            self.mask = torch.tril(torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool, device=q.device))
        if att_mask is not None and self.causal:  # expect: ML401
            att_mask = att_mask & self.mask
        return F.scaled_dot_product_attention(q, k, v, attn_mask=att_mask)


class ConditionalTriangle(nn.Module):
    def __init__(self, is_causal=True):
        super().__init__()
        self.is_causal = is_causal

    def forward(self, q, k, v, keep=None):
        n = q.size(-2)
        tri = torch.ones(n, n, dtype=torch.bool, device=q.device).tril() if self.is_causal else None
        if keep is not None and self.is_causal:  # expect: ML401
            keep = keep & tri
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


class AdditiveBias(nn.Module):
    def __init__(self, dim, causal=True):
        super().__init__()
        self.causal = causal
        self.scale = 1 / math.sqrt(dim)

    def forward(self, q, k, v, attn_bias=None):
        t = q.size(-2)
        if self.causal:
            future = torch.triu(torch.full((t, t), float("-inf"), device=q.device), diagonal=1)
        scores = (q @ k.transpose(-2, -1)) * self.scale
        if attn_bias is not None and self.causal:  # expect: ML401
            attn_bias = attn_bias + future
        if attn_bias is not None:
            scores = scores + attn_bias
        return scores.softmax(-1) @ v
