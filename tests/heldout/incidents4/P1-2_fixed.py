from collections import namedtuple

import torch
import torch.nn.functional as F
from torch import nn, einsum
from einops import rearrange

EfficientAttentionConfig = namedtuple("EfficientAttentionConfig", ["enable_flash", "enable_math", "enable_mem_efficient"])


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0, causal=False, flash=False, scale=None):
        super().__init__()
        self.dropout = dropout
        self.causal = causal
        self.flash = flash
        self.scale = scale
        self.attn_dropout = nn.Dropout(dropout)
        self.cpu_config = EfficientAttentionConfig(True, True, True)

    def get_causal_mask(self, i, j, device):
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len, device = k.shape[-2], q.device
        causal = self.causal

        if exists(mask):
            mask = rearrange(mask, "b j -> b 1 1 j")
            mask = mask.expand(-1, heads, q_len, -1)

        if causal:
            causal_mask = self.get_causal_mask(q_len, k_len, device)
            if exists(mask):
                mask = mask & ~causal_mask
            else:
                mask = ~causal_mask
            causal = False

        return F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=causal,
        )

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        n, device = q.shape[-2], q.device
        scale = self.scale if exists(self.scale) else q.shape[-1] ** -0.5
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max

        if exists(mask):
            sim = sim.masked_fill(~rearrange(mask, "b j -> b 1 1 j"), mask_value)

        if self.causal:
            causal_mask = self.get_causal_mask(n, k.shape[-2], device)
            sim = sim.masked_fill(causal_mask, mask_value)

        attn = self.attn_dropout(sim.softmax(dim=-1))
        return einsum("b h i j, b h j d -> b h i d", attn, v)
