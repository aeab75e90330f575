"""Pluggable attention kernels. Every kernel takes q, k, v of shape (B, H, L, D) and an
optional boolean mask broadcastable to (B, H, L, S)."""
import math

import torch
import torch.nn.functional as F


def sdpa_attention(q, k, v, mask=None, dropout=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout)


def eager_attention(q, k, v, mask=None, dropout=0.0):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
    probs = F.dropout(scores.softmax(dim=-1), p=dropout)
    return probs @ v


ATTENTION_FUNCTIONS = {
    "sdpa": sdpa_attention,
    "eager": eager_attention,
}


def get_attention(name):
    try:
        return ATTENTION_FUNCTIONS[name]
    except KeyError:
        raise ValueError(f"unknown attention implementation {name!r}; choose from {sorted(ATTENTION_FUNCTIONS)}")
