"""Causal masking on every path, whether a mask comes in or not (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaledDotProduct(nn.Module):
    def __init__(self, causal=True):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v, att_mask=None):
        if self.causal:
            n = q.size(-2)
            causal = torch.tril(torch.ones(n, n, dtype=torch.bool, device=q.device))
            att_mask = causal if att_mask is None else att_mask & causal
        return F.scaled_dot_product_attention(q, k, v, attn_mask=att_mask)


class Padded(nn.Module):
    """Bidirectional: the padding mask is made 4-D only when it comes in 2-D."""

    def forward(self, q, k, v, keep=None):
        # keep: bool, True = attend
        if keep is not None and keep.dim() == 2:
            keep = keep[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
