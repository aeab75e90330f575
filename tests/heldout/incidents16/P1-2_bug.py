from collections import namedtuple
from functools import partial

import torch
from torch import nn, einsum
import torch.nn.functional as F

# constants

EfficientAttentionConfig = namedtuple('EfficientAttentionConfig', ['enable_flash', 'enable_math', 'enable_mem_efficient'])

# helpers

def exists(val):
    return val is not None

def default(val, d):
    return val if exists(val) else d

def max_neg_value(t):
    return -torch.finfo(t.dtype).max

# main class

class Attend(nn.Module):
    def __init__(self, *, dropout = 0., causal = False, flash = False, scale = None):
        super().__init__()
        self.scale = scale
        self.causal = causal
        self.attn_dropout = nn.Dropout(dropout)
        self.dropout = dropout
        self.flash = flash

    def create_causal_mask(self, i, j, device):
        # True marks the positions a query may not look at
        return torch.ones((i, j), device = device, dtype = torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask = None):
        batch, heads, q_len, _ = q.shape
        k_len = k.shape[-2]

        if exists(mask):
            # key padding mask, True = keep, to (b, 1, 1, j)
            mask = mask[:, None, None, :].expand(-1, heads, q_len, -1)

        if self.causal:
            causal_mask = self.create_causal_mask(q_len, k_len, device = q.device)
            mask = causal_mask if not exists(mask) else (mask & ~causal_mask)  # BUG: a bare causal_mask is True for the future, SDPA keeps True positions

        return F.scaled_dot_product_attention(
            q, k, v,
            attn_mask = mask,
            dropout_p = self.dropout if self.training else 0.,
            scale = self.scale
        )

    def forward(self, q, k, v, mask = None):
        n, device = q.shape[-2], q.device
        scale = default(self.scale, q.shape[-1] ** -0.5)

        if self.flash:
            return self.flash_attn(q, k, v, mask = mask)

        sim = einsum('b h i d, b h j d -> b h i j', q, k) * scale

        if exists(mask):
            sim = sim.masked_fill(~mask[:, None, None, :], max_neg_value(sim))

        if self.causal:
            causal_mask = self.create_causal_mask(n, k.shape[-2], device = device)
            sim = sim.masked_fill(causal_mask, max_neg_value(sim))

        attn = sim.softmax(dim = -1)
        attn = self.attn_dropout(attn)

        return einsum('b h i j, b h j d -> b h i d', attn, v)
