"""Cross-attention with an optional context mask (flash path via SDPA), functional core."""
from functools import partial

import torch
import torch.nn.functional as F


def flash_cross_attend(q, k, v, context_mask=None):
    """q: (B, H, N, D); k, v: (B, H, M, D); context_mask: (B, M) True = keep."""
    mask = None
    if context_mask is not None:
        # samples with no context at all: attend everywhere rather than over an empty row
        context_mask = context_mask | ~context_mask.any(dim=-1, keepdim=True)
        mask = context_mask[:, None, None, :].expand(-1, q.shape[1], q.shape[2], -1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def eager_cross_attend(q, k, v, context_mask=None):
    sim = q @ k.transpose(-1, -2) * q.shape[-1] ** -0.5
    if context_mask is not None:
        context_mask = context_mask | ~context_mask.any(dim=-1, keepdim=True)
        sim = sim.masked_fill(~context_mask[:, None, None, :], -torch.finfo(sim.dtype).max)
    return sim.softmax(-1) @ v


def make_cross_attention(w_q, w_kv, w_out, heads, flash=True):
    attend = flash_cross_attend if flash else eager_cross_attend

    def fn(x, context, context_mask=None):
        b, n, d = x.shape
        split = lambda t: t.view(b, -1, heads, d // heads).transpose(1, 2)
        q = split(x @ w_q)
        k, v = map(split, (context @ w_kv).chunk(2, dim=-1))
        out = attend(q, k, v, context_mask)
        return out.transpose(1, 2).reshape(b, n, d) @ w_out

    return fn


if __name__ == "__main__":
    torch.manual_seed(0)
    d = 16
    ws = [torch.randn(d, d) * 0.1, torch.randn(d, 2 * d) * 0.1, torch.randn(d, d) * 0.1]
    x, ctx = torch.randn(2, 4, d), torch.randn(2, 5, d)
    cmask = torch.tensor([[True, True, False, False, False], [False] * 5])
    flash = partial(make_cross_attention(*ws, heads=4, flash=True))
    eager = make_cross_attention(*ws, heads=4, flash=False)
    a, b = flash(x, ctx, cmask), eager(x, ctx, cmask)
    print("finite:", torch.isfinite(a).all().item(), "match:", torch.allclose(a[0], b[0], atol=1e-5))
