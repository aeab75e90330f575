import torch
import torch.nn.functional as F
from torch import nn


def exists(val):
    return val is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0, flash=True):
        super().__init__()
        self.dropout = dropout
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        # mask: (b, j) or (b, h, i, j), True = attend
        if exists(mask) and mask.ndim == 2:
            mask = mask[:, None, None, :].expand(-1, q.shape[1], q.shape[2], -1)
        row_is_entirely_masked = None
        if exists(mask):
            # rows with nothing to attend to: unmask them for the kernel, zero their output afterwards
            row_is_entirely_masked = ~mask.any(dim=-1)
            mask = mask | row_is_entirely_masked[..., None]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)
        if exists(row_is_entirely_masked):
            out = out.masked_fill(row_is_entirely_masked[..., None], 0.0)
        return out

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)
        sim = torch.einsum("b h i d, b h j d -> b h i j", q, k) * q.shape[-1] ** -0.5
        if exists(mask):
            sim = sim.masked_fill(~mask[:, None, None, :], -torch.finfo(sim.dtype).max)
        return torch.einsum("b h i j, b h j d -> b h i d", sim.softmax(dim=-1), v)


class CrossAttention(nn.Module):
    def __init__(self, dim=8, heads=2, flash=True):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.attend = Attend(flash=flash)
        self.to_out = nn.Linear(dim, dim, bias=False)

    def forward(self, x, context, context_mask=None):
        b, n, d = x.shape
        q = self.to_q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = self.to_kv(context).view(b, context.shape[1], 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = self.attend(q, k, v, mask=context_mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


def run():
    attn = CrossAttention()
    x = torch.randn(2, 5, 8)
    context = torch.rand(2, 4, 8)
    context_mask = torch.tensor([[True, True, True, False], [False, False, False, False]])  # no conditioning for sample 1
    with torch.no_grad():
        return attn(x, context, context_mask=context_mask)
