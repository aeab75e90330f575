import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def eager_attention(q, k, v, mask):
    """mask: True = may attend."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(-1) @ v, scores


def sdpa_attention(q, k, v, mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask), None


ATTENTION_FUNCTIONS = {"eager": eager_attention, "sdpa": sdpa_attention}


class SelfAttention(nn.Module):
    def __init__(self, dim, n_heads, attn_impl: str = "sdpa"):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.attn_impl = attn_impl
        self.attn_fn = ATTENTION_FUNCTIONS[attn_impl]

    def forward(self, x, output_attentions: bool = False):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, C // self.n_heads).permute(2, 0, 3, 1, 4)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        out, weights = self.attn_fn(q, k, v, future)  # expect: ML102
        if output_attentions and self.attn_impl == "sdpa":
            raise ValueError("sdpa does not return attention weights")
        return out.transpose(1, 2).reshape(B, T, C), weights
