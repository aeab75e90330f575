"""Perceiver-style cross-attention from latents to an optional, possibly empty, context."""
import torch
import torch.nn as nn
from torch import einsum


class CrossAttention(nn.Module):
    def __init__(self, dim, context_dim, heads=4, dim_head=8):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(context_dim, 2 * inner, bias=False)
        self.to_out = nn.Linear(inner, dim)

    def forward(self, x, context, context_mask=None):
        b, n, _ = x.shape
        m = context.shape[1]
        q = self.to_q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = self.to_kv(context).chunk(2, dim=-1)
        k = k.view(b, m, self.heads, -1).transpose(1, 2)
        v = v.view(b, m, self.heads, -1).transpose(1, 2)
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * self.scale
        if context_mask is not None:
            sim = sim.masked_fill(~context_mask[:, None, None, :], float("-inf"))  # BUG
        attn = sim.softmax(dim=-1)
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class LatentConditioner(nn.Module):
    def __init__(self, num_latents=4, dim=32, context_dim=16):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, dim))
        self.cross = CrossAttention(dim, context_dim)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim))

    def forward(self, context, context_mask):
        x = self.latents.expand(context.shape[0], -1, -1)
        x = x + self.cross(x, context, context_mask)
        return x + self.ff(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LatentConditioner()
    context = torch.randn(3, 5, 16)
    context_mask = torch.tensor([[True] * 5, [True, True, False, False, False], [False] * 5])
    out = model(context, context_mask)
    print(out.shape, torch.isnan(out).any().item())
