"""attend.py - x-transformers style Attend module with a flash (SDPA) path."""
from collections import namedtuple

import torch
import torch.nn.functional as F
from torch import nn

AttentionConfig = namedtuple("AttentionConfig", ["enable_flash", "enable_math", "enable_mem_efficient"])


def exists(val):
    return val is not None


def default(val, d):
    return val if exists(val) else d


class Attend(nn.Module):
    def __init__(self, *, dropout=0.0, causal=False, flash=False, scale=None):
        super().__init__()
        self.scale = scale
        self.causal = causal
        self.flash = flash
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)

    def get_mask(self, i, j, device):
        # True = masked out (used with masked_fill in the non-flash path)
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        k_len = k.shape[-2]

        if exists(mask):
            mask = mask[:, None, None, :].expand(batch, heads, q_len, k_len)

        if self.causal:
            causal_mask = self.get_mask(q_len, k_len, q.device)
            mask = default(mask, torch.ones_like(causal_mask))
            mask = mask & ~causal_mask

        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)

    def forward(self, q, k, v, mask=None):
        scale = default(self.scale, q.shape[-1] ** -0.5)
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)

        sim = torch.einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max
        if exists(mask):
            sim = sim.masked_fill(~mask[:, None, None, :], mask_value)
        if self.causal:
            i, j = sim.shape[-2:]
            sim = sim.masked_fill(self.get_mask(i, j, q.device), mask_value)
        attn = self.attn_dropout(sim.softmax(dim=-1))
        return torch.einsum("b h i j, b h j d -> b h i d", attn, v)


if __name__ == "__main__":
    torch.manual_seed(0)
    attend = Attend(causal=True, flash=True).eval()
    q, k, v = (torch.randn(2, 4, 7, 8) for _ in range(3))
    key_mask = torch.ones(2, 7, dtype=torch.bool)
    k2, v2 = k.clone(), v.clone()
    k2[:, :, -1], v2[:, :, -1] = torch.randn(2, 4, 8), torch.randn(2, 4, 8)
    o1 = attend(q, k, v, mask=key_mask)
    o2 = attend(q, k2, v2, mask=key_mask)
    print("prefix change when last key/value changes:", (o1[:, :, :-1] - o2[:, :, :-1]).abs().max().item())
