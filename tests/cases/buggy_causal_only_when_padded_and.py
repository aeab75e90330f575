"""Causal masking inside `if mask is not None and self.causal:` (xformers#103, P4-12): without a
mask the layer runs bidirectional."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledDotProduct(nn.Module):
    def __init__(self, causal=True):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v, att_mask=None):
        if att_mask is not None and self.causal:  # expect: ML401
            n = q.size(-2)
            att_mask = att_mask & torch.tril(torch.ones(n, n, dtype=torch.bool, device=q.device))
        return F.scaled_dot_product_attention(q, k, v, attn_mask=att_mask)


class Scores(nn.Module):
    def __init__(self, causal=True):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v, keep=None):
        att = q @ k.transpose(-2, -1)
        if self.causal and keep is not None:  # expect: ML401
            n = q.size(-2)
            keep = keep & torch.ones(n, n, dtype=torch.bool, device=q.device).tril()
        if keep is not None:
            att = att.masked_fill(~keep, float("-inf"))
        return att.softmax(-1) @ v
