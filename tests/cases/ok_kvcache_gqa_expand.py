"""Twins of buggy_kvcache_gqa_expand: causal only while the lengths match, a bottom-right mask
otherwise."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class MultiQuery(nn.Module):
    def __init__(self, dim=64, heads=8):
        super().__init__()
        self.h, self.hd = heads, dim // heads
        self.q, self.kv = nn.Linear(dim, dim), nn.Linear(dim, 2 * self.hd)

    def forward(self, x, cache=None):
        B, T, _ = x.shape
        q = self.q(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k, v = self.kv(x).unsqueeze(1).split(self.hd, dim=-1)
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        keys, values = k.expand(-1, self.h, -1, -1), v.expand(-1, self.h, -1, -1)
        if cache is None:
            y = F.scaled_dot_product_attention(q, keys, values, is_causal=True)
        else:
            y = F.scaled_dot_product_attention(q, keys, values, attn_mask=causal_lower_right(T, k.size(2)))
        return y, (k, v)
