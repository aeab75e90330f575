import torch
import torch.nn.functional as F
from torch import nn, einsum
from einops import rearrange


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, *, causal=False, dropout=0.0, flash=False, scale=None):
        super().__init__()
        self.causal = causal
        self.flash = flash
        self.scale = scale
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)

    def get_causal_mask(self, i, j, device):
        # True = position may NOT be attended (shared with the einsum path, used via masked_fill)
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        i, j, device = q.shape[-2], k.shape[-2], q.device
        attn_mask = None
        if exists(mask):
            attn_mask = rearrange(mask, "b j -> b 1 1 j")
        if self.causal:
            causal_mask = self.get_causal_mask(i, j, device)
            if exists(attn_mask):
                attn_mask = attn_mask & causal_mask  # BUG
            else:
                attn_mask = causal_mask  # BUG
        return F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            dropout_p=self.dropout if self.training else 0.0,
            scale=self.scale,
        )

    def forward(self, q, k, v, mask=None):
        """q, k, v: (b, h, n, d); mask: (b, j) with True = keep."""
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        i, j, device = q.shape[-2], k.shape[-2], q.device
        scale = self.scale if exists(self.scale) else q.shape[-1] ** -0.5
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max

        if exists(mask):
            sim = sim.masked_fill(~rearrange(mask, "b j -> b 1 1 j"), mask_value)
        if self.causal:
            sim = sim.masked_fill(self.get_causal_mask(i, j, device), mask_value)

        attn = sim.softmax(dim=-1)
        attn = self.attn_dropout(attn)
        return einsum("b h i j, b h j d -> b h i d", attn, v)
