"""What only the path without the optional mask does wrong: a causal block mask used as it
stands when no key mask is given (x-transformers' Attend), and a keep mask inverted only then."""
import torch
import torch.nn.functional as F
from torch import nn


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, causal=False):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v, mask=None):
        i, j = q.shape[-2], k.shape[-2]
        if exists(mask):
            mask = mask[:, None, None, :]
        if self.causal:
            future = torch.ones((i, j), dtype=torch.bool, device=q.device).triu(j - i + 1)
            if exists(mask):
                mask = mask & ~future
            else:
                mask = future
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102


def windowed(q, k, v, key_padding_mask=None, window=4):
    n = q.shape[-2]
    idx = torch.arange(n)
    near = (idx[None, :] - idx[:, None]).abs() <= window
    if key_padding_mask is not None:
        allowed = near & ~key_padding_mask[:, None, None, :]
    else:
        allowed = ~near
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)  # expect: ML102
