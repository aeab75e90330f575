from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn, einsum


def exists(val):
    return val is not None


@dataclass
class Intermediates:
    qk_similarities: Optional[torch.Tensor] = None
    pre_softmax_attn: Optional[torch.Tensor] = None


class Attend(nn.Module):
    def __init__(self, *, dropout=0.0, causal=False, flash=False):
        super().__init__()
        self.dropout = dropout
        self.causal = causal
        self.attn_dropout = nn.Dropout(dropout)
        self.flash = flash

    def get_causal_mask(self, i, j, device):
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len = k.shape[-2]
        causal = self.causal
        if exists(mask):
            mask = mask[:, None, None, :].expand(-1, heads, q_len, -1)
        if causal:
            causal_mask = self.get_causal_mask(q_len, k_len, q.device)
            if exists(mask):
                mask = mask & ~causal_mask
            else:
                mask = causal_mask  # BUG
            causal = False
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=causal,
        )
        return out, Intermediates()

    def forward(self, q, k, v, mask=None):
        n = q.shape[-2]
        scale = q.shape[-1] ** -0.5
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        dots = einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(dots.dtype).max
        if exists(mask):
            dots = dots.masked_fill(~mask[:, None, None, :], mask_value)
        if self.causal:
            causal_mask = self.get_causal_mask(n, k.shape[-2], q.device)
            dots = dots.masked_fill(causal_mask, mask_value)
        attn = dots.softmax(dim=-1)
        attn = self.attn_dropout(attn)
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        return out, Intermediates(qk_similarities=dots, pre_softmax_attn=dots)


class Attention(nn.Module):
    def __init__(self, dim, heads=4, causal=False, flash=False):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.attend = Attend(causal=causal, flash=flash)

    def forward(self, x, mask=None):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        out, _ = self.attend(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 6, 32)
    for flash in (False, True):
        attn = Attention(32, heads=4, causal=True, flash=flash)
        print(flash, attn(x).shape)
