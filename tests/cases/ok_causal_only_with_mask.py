"""The causal part on every path: the flag tested on its own, or an else for the no-mask case;
and a mask sliced for a cache under the same test (no causal part built there)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(q, k, v, att_mask=None, causal=False):
    if causal:
        tri = torch.triu(torch.full((q.size(-2), k.size(-2)), float("-inf")), 1)
        att_mask = tri if att_mask is None else att_mask + tri
    scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
    if att_mask is not None:
        scores = scores + att_mask
    return scores.softmax(-1) @ v


class Block(nn.Module):
    def __init__(self, is_causal=True):
        super().__init__()
        self.is_causal = is_causal

    def causal_keep(self, n, device):
        return torch.ones(n, n, dtype=torch.bool, device=device).tril()

    def forward(self, q, k, v, mask=None):
        if mask is not None and self.is_causal:
            mask = mask & self.causal_keep(q.size(-2), q.device)
        elif self.is_causal:
            mask = self.causal_keep(q.size(-2), q.device)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


class CachedBlock(nn.Module):
    def forward(self, q, k, v, mask=None, causal=True):
        if mask is not None and causal:
            mask = mask[..., -q.size(-2):, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal and mask is None)


class FlagAlsoHintsTheKernel(nn.Module):
    """The usual fix of xformers#103: without a mask the causal flag goes to SDPA itself."""

    def __init__(self, causal=True):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v, attn_mask=None):
        n = q.size(-2)
        if attn_mask is not None and self.causal:
            attn_mask = attn_mask & torch.ones(n, n, dtype=torch.bool, device=q.device).tril()
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=self.causal and attn_mask is None)


def flag_as_a_name(q, k, v, mask=None, causal=False):
    if mask is not None and causal:
        mask = mask & torch.ones(q.size(-2), k.size(-2), dtype=torch.bool).tril()
    is_causal = causal and mask is None
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal)
