from functools import partial

import torch
from torch import nn, einsum
import torch.nn.functional as F

# helpers

def exists(val):
    return val is not None

def default(val, d):
    return val if exists(val) else d

# main class

class Attend(nn.Module):
    def __init__(self, *, dropout = 0., causal = False, scale = None, flash = False):
        super().__init__()
        self.scale = scale
        self.causal = causal
        self.attn_fn = partial(F.softmax, dtype = torch.float32)
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)
        self.flash = flash

    def create_causal_mask(self, i, j, device):
        return torch.ones((i, j), device = device, dtype = torch.bool).triu(j - i + 1)

    def flash_attn(self, q, k, v, mask = None):
        batch, heads, q_len, _, k_len, device = *q.shape, k.shape[-2], q.device
        causal = self.causal

        if exists(mask):
            mask = mask.expand(batch, heads, q_len, k_len)

        # manually handle causal mask, if another mask was given

        if exists(mask) and causal:
            causal_mask = self.create_causal_mask(q_len, k_len, device = device)
            mask = mask & ~causal_mask
            causal = False

        # protect against an entire row being masked out

        row_is_entirely_masked = None

        if exists(mask) and self.causal:  # BUG
            row_is_entirely_masked = ~mask.any(dim = -1)

        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask = mask,
            dropout_p = self.dropout if self.training else 0.,
            is_causal = causal
        )

        # for a row that is entirely masked out, should zero out the output of that row token

        if exists(row_is_entirely_masked) and row_is_entirely_masked.any():
            out = out.masked_fill(row_is_entirely_masked[..., None], 0.)

        return out

    def forward(self, q, k, v, mask = None):
        if self.flash:
            return self.flash_attn(q, k, v, mask = mask)

        scale = default(self.scale, q.shape[-1] ** -0.5)
        sim = einsum('b h i d, b h j d -> b h i j', q, k) * scale
        mask_value = -torch.finfo(sim.dtype).max

        if exists(mask):
            sim = sim.masked_fill(~mask, mask_value)

        if self.causal:
            i, j = sim.shape[-2:]
            sim = sim.masked_fill(self.create_causal_mask(i, j, device = sim.device), mask_value)

        row_is_entirely_masked = None  # BUG

        attn = self.attn_dropout(self.attn_fn(sim, dim = -1))
        out = einsum('b h i j, b h j d -> b h i d', attn, v)

        if exists(row_is_entirely_masked) and row_is_entirely_masked.any():
            out = out.masked_fill(row_is_entirely_masked[..., None], 0.)

        return out


if __name__ == '__main__':
    torch.manual_seed(0)
    q = torch.randn(2, 2, 3, 4)
    context = torch.randn(2, 2, 5, 4)
    context_mask = torch.ones(2, 5, dtype = torch.bool)
    context_mask[1] = False
    mask = context_mask[:, None, None, :]
    flash_out = Attend(flash = True)(q, context, context, mask = mask)
    plain_out = Attend(flash = False)(q, context, context, mask = mask)
    gap = (flash_out - plain_out)[1].abs().max().item()
    print(f'empty-context cross-attention, flash vs non-flash max diff: {gap:.4f} (NaN: {int(torch.isnan(flash_out).sum())})')
