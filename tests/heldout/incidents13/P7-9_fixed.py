import torch
import torch.nn.functional as F
from torch import nn


def exists(v):
    return v is not None


def open_empty_rows(mask):
    empty = ~mask.any(dim=-1)
    return mask | empty[..., None], empty


class Attend(nn.Module):
    def __init__(self, flash=True):
        super().__init__()
        self.flash = flash

    def flash_attn(self, q, k, v, mask=None):
        batch, heads, q_len, _ = q.shape
        row_is_entirely_masked = None
        if exists(mask):
            mask, row_is_entirely_masked = open_empty_rows(mask.expand(batch, heads, q_len, k.shape[-2]))  # BUG
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        if exists(row_is_entirely_masked):
            out = out.masked_fill(row_is_entirely_masked[..., None], 0.0)
        return out

    def forward(self, q, k, v, mask=None):
        if self.flash:
            return self.flash_attn(q, k, v, mask=mask)
        sim = q @ k.transpose(-1, -2) * q.shape[-1] ** -0.5
        if exists(mask):
            sim = sim.masked_fill(~mask, -torch.finfo(sim.dtype).max)
        return sim.softmax(-1) @ v


class CrossAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.attend = Attend(flash=True)
        self.to_out = nn.Linear(dim, dim, bias=False)

    def forward(self, x, context, context_mask=None):
        b, n, d = x.shape
        split = lambda t: t.view(b, t.shape[1], self.heads, -1).transpose(1, 2)
        q = split(self.to_q(x))
        k, v = map(split, self.to_kv(context).chunk(2, dim=-1))
        mask = context_mask[:, None, None, :] if exists(context_mask) else None
        self.last_mask = None if mask is None else mask.expand(b, self.heads, n, -1)
        out = self.attend(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = CrossAttention().eval()
    x = torch.randn(2, 5, 32)
    context = torch.randn(2, 4, 32)
    context_mask = torch.tensor([[True, True, False, False], [False, False, False, False]])
    captured = {}
    real_sdpa = F.scaled_dot_product_attention

    def recording_sdpa(q, k, v, attn_mask=None, **kw):
        captured["empty_rows"] = int((~attn_mask.any(-1)).sum())
        return real_sdpa(q, k, v, attn_mask=attn_mask, **kw)

    F.scaled_dot_product_attention = recording_sdpa
    with torch.no_grad():
        out = layer(x, context, context_mask)
    F.scaled_dot_product_attention = real_sdpa
    print(f"query rows handed to the flash kernel with no attendable key = {captured['empty_rows']}; NaN on CPU = {int(torch.isnan(out).sum())}")
