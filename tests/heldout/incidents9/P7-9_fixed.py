import torch
from torch import einsum, nn


def exists(v):
    return v is not None


class Attend(nn.Module):
    def __init__(self, dropout=0.0):
        super().__init__()
        self.attn_dropout = nn.Dropout(dropout)

    def forward(self, q, k, v, mask=None):
        """mask: (b, i, j) or broadcastable, True = attend."""
        scale = q.shape[-1] ** -0.5
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * scale
        row_is_entirely_masked = None
        if exists(mask):
            mask = mask.expand(sim.shape).clone()
            row_is_entirely_masked = ~mask.any(dim=-1)
            mask[..., 0] = mask[..., 0] | row_is_entirely_masked
            sim = sim.masked_fill(~mask, float("-inf"))
        attn = self.attn_dropout(sim.softmax(dim=-1))
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        if exists(row_is_entirely_masked):
            out = out.masked_fill(row_is_entirely_masked[..., None], 0.0)
        return out


class CrossAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.attend = Attend()

    def forward(self, x, context, context_mask=None):
        b, n, d = x.shape
        split = lambda t: t.view(b, -1, self.heads, d // self.heads).transpose(1, 2)
        q = split(self.to_q(x))
        k, v = (split(t) for t in self.to_kv(context).chunk(2, -1))
        mask = context_mask[:, None, None, :] if exists(context_mask) else None
        out = self.attend(q, k, v, mask=mask)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = CrossAttention()
    x = torch.randn(2, 5, 32)
    context = torch.rand(2, 4, 32)
    context_mask = torch.ones(2, 4, dtype=torch.bool)
    context_mask[1] = False  # no conditioning for the second sample
    out = layer(x, context, context_mask=context_mask)
    print(out.shape)
    print("nan per sample:", torch.isnan(out).flatten(1).any(-1).tolist())
