from collections import namedtuple

import torch
import torch.nn.functional as F
from torch import nn

EfficientAttentionConfig = namedtuple("EfficientAttentionConfig", ["enable_flash", "enable_math", "enable_mem_efficient"])


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, *, dropout=0.0, causal=False, flash=False, scale=None):
        super().__init__()
        self.scale = scale
        self.causal = causal
        self.flash = flash
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)

    def create_causal_mask(self, i, j, device):
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None, attn_bias=None):
        batch, heads, q_len, _ = q.shape
        k_len, device = k.shape[-2], q.device

        if exists(mask):
            mask = mask.expand(batch, heads, q_len, k_len)

        causal = self.causal
        if causal:
            causal_mask = self.create_causal_mask(q_len, k_len, device=device)
            if exists(mask):
                mask = mask & ~causal_mask
            else:
                mask = ~causal_mask
            causal = False

        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0, is_causal=causal
        )

    def forward(self, q, k, v, mask=None, attn_bias=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask, attn_bias=attn_bias)
        scale = self.scale if exists(self.scale) else q.shape[-1] ** -0.5
        sim = torch.einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max
        if exists(mask):
            sim = sim.masked_fill(~mask, mask_value)
        if self.causal:
            i, j = sim.shape[-2:]
            sim = sim.masked_fill(self.create_causal_mask(i, j, device=q.device), mask_value)
        attn = self.attn_dropout(sim.softmax(dim=-1))
        return torch.einsum("b h i j, b h j d -> b h i d", attn, v)


if __name__ == "__main__":
    attend = Attend(causal=True, flash=True)
    q, k, v = (torch.randn(2, 4, 10, 16) for _ in range(3))
    mask = torch.ones(2, 1, 1, 10, dtype=torch.bool)
    mask[1, ..., 7:] = False
    print(attend(q, k, v, mask=mask).shape)
    print(attend(q, k, v).shape)
