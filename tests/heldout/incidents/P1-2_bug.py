from collections import namedtuple

import torch
import torch.nn.functional as F
from torch import nn

EfficientAttentionConfig = namedtuple("EfficientAttentionConfig", ["enable_flash", "enable_math", "enable_mem_efficient"])


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0, causal=False, flash=False):
        super().__init__()
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)
        self.causal = causal
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len, device = k.shape[-2], q.device

        # mask is (batch, k_len), True means attend
        if exists(mask):
            mask = mask[:, None, None, :].expand(batch, heads, q_len, k_len)
            mask = ~mask

        if self.causal:
            causal_mask = torch.ones((q_len, k_len), dtype=torch.bool, device=device).triu(k_len - q_len + 1)
            mask = causal_mask if not exists(mask) else (mask | causal_mask)  # BUG: builds True=mask-out mask

        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)  # BUG: SDPA expects True=attend
        return out

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        scale = q.shape[-1] ** -0.5
        dots = torch.einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(dots.dtype).max
        i, j = dots.shape[-2:]

        if exists(mask):
            dots = dots.masked_fill(~mask[:, None, None, :], mask_value)

        if self.causal:
            causal_mask = torch.ones((i, j), dtype=torch.bool, device=dots.device).triu(j - i + 1)
            dots = dots.masked_fill(causal_mask, mask_value)

        attn = self.attn_dropout(dots.softmax(dim=-1))
        return torch.einsum("b h i j, b h j d -> b h i d", attn, v)


def run():
    attend = Attend(causal=True, flash=True)
    q, k, v = (torch.randn(2, 2, 5, 4) for _ in range(3))
    mask = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    return attend(q, k, v, mask=mask)
