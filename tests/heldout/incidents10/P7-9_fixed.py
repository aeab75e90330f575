"""x-transformers attend.py style flash path for cross attention with a
context mask (True = keep).  When a sample's context is entirely masked the
fused CUDA kernels produced NaN logits (fixed in 1.32.0 by unmasking such rows
and zeroing their output).  CPU SDPA returns 0 for such rows, so the smoke run
reports the number of fully-masked query rows (kernel-dependent row)."""
import torch
import torch.nn.functional as F
from torch import nn


def exists(v):
    return v is not None


class Attend(nn.Module):
    def __init__(self, flash=True):
        super().__init__()
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        row_is_entirely_masked = None
        if exists(mask):
            mask = mask.expand(batch, heads, q_len, k.shape[-2])
            row_is_entirely_masked = ~mask.any(dim=-1)
            mask = mask.clone()
            mask[..., 0] = mask[..., 0] | row_is_entirely_masked
        self.fully_masked_rows = 0 if mask is None else int((~mask.any(-1)).sum())
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        if exists(row_is_entirely_masked):
            out = out.masked_fill(row_is_entirely_masked[..., None], 0.0)
        return out


class CrossAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim, bias=False)
        self.attend = Attend(flash=True)

    def forward(self, x, context, context_mask=None):
        b, n, d = x.shape
        q = self.to_q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = (t.view(b, context.shape[1], self.heads, -1).transpose(1, 2) for t in self.to_kv(context).chunk(2, -1))
        mask = context_mask[:, None, None, :] if exists(context_mask) else None
        out = self.attend.flash_attn(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = CrossAttention()
    x, ctx = torch.randn(2, 4, 32), torch.randn(2, 6, 32)
    context_mask = torch.tensor([[True] * 6, [False] * 6])  # second sample has no context
    out = attn(x, ctx, context_mask=context_mask)
    print("fully-masked query rows sent to the kernel:", attn.attend.fully_masked_rows,
          "| NaN on this kernel:", bool(out.isnan().any()))
