"""A Falcon-style future mask (``torch.empty``, then every cell written) turned into an additive
mask with -1e9 on the future, and a keep mask written whole for SDPA: both correct."""
import torch
import torch.nn.functional as F


def make_future_mask(n, past_len=0):
    mask = torch.empty((n, n + past_len), dtype=torch.bool)
    pos = torch.arange(n)
    mask[:, past_len:] = pos[:, None] < pos[None, :]
    return mask


def attend(q, k, v):
    future = make_future_mask(q.size(-2))
    bias = (future * 1.0).masked_fill(future, -1e9)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


def attend_keep(q, k, v):
    n = q.size(-2)
    keep = torch.empty(n, n, dtype=torch.bool)
    keep[:, :] = torch.arange(n)[:, None] >= torch.arange(n)[None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
