"""Perceiver-style: one block class for cross-attention (latents -> padded context) and for
self-attention over the latents (never padded).  The loop passes the context and its mask to
every block; the self-attention block rightly ignores it."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads=4, cross=False):
        super().__init__()
        self.heads, self.cross = heads, cross
        self.to_q = nn.Linear(dim, dim)
        self.to_kv = nn.Linear(dim, 2 * dim)

    def forward(self, latents, context, context_mask):
        b, n, d = latents.shape
        h = self.heads
        q = self.to_q(latents).view(b, n, h, -1).transpose(1, 2)
        if self.cross:
            k, v = self.to_kv(context).view(b, -1, 2, h, d // h).permute(2, 0, 3, 1, 4)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=context_mask[:, None, None, :])
        else:
            k, v = self.to_kv(latents).view(b, n, 2, h, d // h).permute(2, 0, 3, 1, 4)
            out = F.scaled_dot_product_attention(q, k, v)
        return latents + out.transpose(1, 2).reshape(b, n, d)


class Perceiver(nn.Module):
    def __init__(self, dim=32, num_latents=8):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, dim))
        self.blocks = nn.ModuleList([Block(dim, cross=True), Block(dim), Block(dim)])

    def forward(self, context, context_mask):
        x = self.latents[None].expand(context.size(0), -1, -1)
        for blk in self.blocks:
            x = blk(x, context, context_mask)
        return x.mean(1)


def main():
    lens = torch.tensor([8, 5])
    mask = torch.arange(8)[None] < lens[:, None]
    return Perceiver()(torch.randn(2, 8, 32), mask)
