from functools import partial

import torch
import torch.nn.functional as F
from torch import einsum, nn


def exists(val):
    return val is not None


def default(val, d):
    return val if exists(val) else d


class Attend(nn.Module):
    def __init__(self, dropout=0.0, causal=False, flash=False):
        super().__init__()
        self.dropout = dropout
        self.causal = causal
        self.flash = flash
        self.attn_dropout = nn.Dropout(dropout)

    def get_mask(self, i, j, device):
        return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask=None):
        _, heads, q_len, _ = q.shape
        k_len = k.shape[-2]
        if exists(mask):
            mask = mask.expand(-1, heads, q_len, -1)
        if self.causal:
            causal_mask = self.get_mask(q_len, k_len, q.device)
            if exists(mask):
                mask = mask & ~causal_mask
            else:
                mask = ~causal_mask
        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0
        )

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)
        scale = q.shape[-1] ** -0.5
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max
        if exists(mask):
            sim = sim.masked_fill(~mask, mask_value)
        if self.causal:
            causal_mask = self.get_mask(*sim.shape[-2:], sim.device)
            sim = sim.masked_fill(causal_mask, mask_value)
        attn = self.attn_dropout(sim.softmax(dim=-1))
        return einsum("b h i j, b h j d -> b h i d", attn, v)


if __name__ == "__main__":
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 4, 12, 16) for _ in range(3))
    flash = Attend(causal=True, flash=True).eval()
    slow = Attend(causal=True, flash=False).eval()
    diff = (flash(q, k, v) - slow(q, k, v)).abs().max().item()
    print(f"flash vs einsum path (causal, no key mask): max |diff| = {diff:.4f}")
