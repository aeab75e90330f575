from collections import namedtuple
from functools import partial

import torch
import torch.nn.functional as F
from torch import nn, einsum

EfficientAttentionConfig = namedtuple('EfficientAttentionConfig', ['enable_flash', 'enable_math', 'enable_mem_efficient'])


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, *, dropout=0., causal=False, flash=False):
        super().__init__()
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)
        self.causal = causal
        self.flash = flash
        self.cpu_config = EfficientAttentionConfig(True, True, True)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _, k_len = *q.shape, k.shape[-2]

        if exists(mask):
            mask = mask[:, None, None, :].expand(-1, heads, q_len, -1)

        causal = self.causal

        if causal:
            causal_mask = torch.ones((q_len, k_len), dtype=torch.bool, device=q.device).triu(k_len - q_len + 1)
            mask = ~causal_mask if not exists(mask) else (mask & ~causal_mask)  # BUG
            causal = False

        return F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,
            dropout_p=self.dropout if self.training else 0.,
            is_causal=causal
        )

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        scale = q.shape[-1] ** -0.5
        dots = einsum('b h i d, b h j d -> b h i j', q, k) * scale
        mask_value = -torch.finfo(dots.dtype).max
        if exists(mask):
            dots = dots.masked_fill(~mask[:, None, None, :], mask_value)
        if self.causal:
            i, j = dots.shape[-2:]
            causal_mask = torch.ones((i, j), dtype=torch.bool, device=q.device).triu(j - i + 1)
            dots = dots.masked_fill(causal_mask, mask_value)
        attn = self.attn_dropout(dots.softmax(dim=-1))
        return einsum('b h i j, b h j d -> b h i d', attn, v)


if __name__ == "__main__":
    torch.manual_seed(0)
    b, h, n, d = 2, 4, 6, 8
    q, k, v = (torch.randn(b, h, n, d) for _ in range(3))
    mask = torch.ones(b, n, dtype=torch.bool)
    mask[1, -2:] = False
    attend = partial(Attend, causal=True)
    flash_out = attend(flash=True)(q, k, v, mask=mask)
    ref_out = attend(flash=False)(q, k, v, mask=mask)
    diff = (flash_out - ref_out)[:, :, :4].abs().max().item()
    print(f"flash vs reference attention max diff: {diff:.4f}")
