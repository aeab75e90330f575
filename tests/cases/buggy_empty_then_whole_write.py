"""A causal mask built Falcon-style: ``torch.empty`` then every cell written through a slice that
starts at the (zero) past length.  ``i < j`` is True on the future, given to SDPA (True = attend)."""
import torch
import torch.nn.functional as F


def make_future_mask(n, past_len=0):
    mask = torch.empty((n, n + past_len), dtype=torch.bool)
    pos = torch.arange(n)
    mask[:, past_len:] = pos[:, None] < pos[None, :]
    return mask


def attend(q, k, v):
    n = q.size(-2)
    future = make_future_mask(n)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=future)  # expect: ML102


def attend_written_whole(q, k, v):
    n = q.size(-2)
    keep = torch.empty(n, n, dtype=torch.bool)
    keep[:, :] = torch.arange(n)[:, None] < torch.arange(n)[None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML102
