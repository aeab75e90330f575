"""Local causal attention for a long-context LM: keys ahead of the query or more than a window
behind it are hidden, and that hidden set goes to SDPA as is."""
import torch
import torch.nn.functional as F


def local_causal_attention(q, k, v, window: int = 128):
    i = torch.arange(q.size(-2), device=q.device)
    hidden = (i[None, :] > i[:, None]) | (i[None, :] < i[:, None] - window)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hidden)  # expect: ML102
