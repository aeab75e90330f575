"""KV-cache decoding done right: is_causal only when queries and keys have the same length, a
bottom-right causal mask otherwise, and a prefill without a cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class GuardedAttention(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.c_attn = h, nn.Linear(d, 3 * d)

    def forward(self, x, layer_past=None):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.h, d // self.h).transpose(1, 2) for z in (q, k, v))
        if layer_past is not None:
            past_key, past_value = layer_past
            k = torch.cat((past_key, k), dim=-2)
            v = torch.cat((past_value, v), dim=-2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=q.size(-2) == k.size(-2))
        return y.transpose(1, 2).reshape(b, t, d), (k, v)


class BottomRightAttention(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.proj = h, nn.Linear(d, 3 * d)

    def forward(self, x, past_k, past_v):
        b, t, d = x.shape
        q, k, v = self.proj(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(t, k.size(2)))
        return y.transpose(1, 2).reshape(b, t, d)


class PrefillOnly(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.proj = h, nn.Linear(d, 3 * d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.proj(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        cached = (k, v)  # kept for later steps; this call's queries and keys are the same tokens
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return y.transpose(1, 2).reshape(b, t, d), cached


def cached_causal_keep(q, k, v):
    offset = k.size(-2) - q.size(-2)
    keep = torch.ones(q.size(-2), k.size(-2), dtype=torch.bool, device=q.device).tril(diagonal=offset)
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=keep)
