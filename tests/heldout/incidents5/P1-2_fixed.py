"""Attention core shared by the transformer wrappers (functional, stateless)."""
from functools import partial

import torch
import torch.nn.functional as F


def exists(v):
    return v is not None


def max_neg_value(t):
    return -torch.finfo(t.dtype).max


def causal_mask_for(i, j, device):
    # True marks positions that must not be attended to
    return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)


def flash_attn(q, k, v, mask=None, causal=False, dropout=0.0):
    i, j = q.shape[-2], k.shape[-2]
    if exists(mask):
        mask = mask[:, None, None, :].expand(-1, q.shape[1], i, -1)
    if causal:
        causal_mask = causal_mask_for(i, j, q.device)
        if exists(mask):
            mask = mask & ~causal_mask
            causal = False
        else:
            mask = ~causal_mask
            causal = False
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout, is_causal=causal)


def eager_attn(q, k, v, mask=None, causal=False, dropout=0.0):
    scale = q.shape[-1] ** -0.5
    sim = torch.einsum("b h i d, b h j d -> b h i j", q, k) * scale
    if exists(mask):
        sim = sim.masked_fill(~mask[:, None, None, :], max_neg_value(sim))
    if causal:
        i, j = sim.shape[-2:]
        sim = sim.masked_fill(causal_mask_for(i, j, sim.device), max_neg_value(sim))
    attn = sim.softmax(dim=-1)
    attn = F.dropout(attn, p=dropout)
    return torch.einsum("b h i j, b h j d -> b h i d", attn, v)


def make_attend(flash: bool, causal: bool, dropout: float = 0.0):
    fn = flash_attn if flash else eager_attn
    return partial(fn, causal=causal, dropout=dropout)


if __name__ == "__main__":
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 4, 7, 16) for _ in range(3))
    mask = torch.ones(2, 7, dtype=torch.bool)
    for m in (None, mask):
        a = make_attend(True, causal=True)(q, k, v, mask=m)
        b = make_attend(False, causal=True)(q, k, v, mask=m)
        print("flash == eager:", torch.allclose(a, b, atol=1e-5))
