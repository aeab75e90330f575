"""Near-misses of buggy_causal_only_with_prepared.py: the flag's other test gives the causal mask
to the path without a mask, so both paths are causal."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedTriangle(nn.Module):
    def __init__(self, causal=True):
        super().__init__()
        self.causal = causal
        self.mask = None

    def forward(self, q, k, v, att_mask=None):
        if self.causal and self.mask is None:
            self.mask = torch.tril(torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool, device=q.device))
        if att_mask is not None and self.causal:
            att_mask = att_mask & self.mask
        if att_mask is None and self.causal:
            att_mask = self.mask
        return F.scaled_dot_product_attention(q, k, v, attn_mask=att_mask)


class FlagToKernel(nn.Module):
    def __init__(self, is_causal=True):
        super().__init__()
        self.is_causal = is_causal

    def forward(self, q, k, v, keep=None):
        n = q.size(-2)
        tri = torch.ones(n, n, dtype=torch.bool, device=q.device).tril() if self.is_causal else None
        if keep is not None and self.is_causal:
            keep = keep & tri
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, is_causal=self.is_causal and keep is None)
