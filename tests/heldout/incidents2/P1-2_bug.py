import torch
import torch.nn.functional as F
from torch import nn, einsum
from einops import rearrange


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, *, dropout=0.0, causal=False, flash=False, scale=None):
        super().__init__()
        self.causal = causal
        self.flash = flash
        self.scale = scale
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)

    def get_causal_mask(self, i, j, device):
        # True where the query must NOT look
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len = k.shape[-2]

        if exists(mask):
            mask = rearrange(mask, "b j -> b 1 1 j")
            mask = mask.expand(-1, heads, q_len, -1)

        if self.causal:
            causal_mask = self.get_causal_mask(q_len, k_len, q.device)
            if exists(mask):
                mask = mask & causal_mask  # BUG: causal_mask is True = blocked, mask is True = keep
            else:
                mask = causal_mask  # BUG: mask-out triangle handed to SDPA as keep mask

        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0  # BUG
        )

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        scale = self.scale if exists(self.scale) else q.shape[-1] ** -0.5
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max

        if exists(mask):
            sim = sim.masked_fill(~rearrange(mask, "b j -> b 1 1 j"), mask_value)
        if self.causal:
            i, j = sim.shape[-2:]
            sim = sim.masked_fill(self.get_causal_mask(i, j, q.device), mask_value)

        attn = self.attn_dropout(sim.softmax(dim=-1))
        return einsum("b h i j, b h j d -> b h i d", attn, v)
