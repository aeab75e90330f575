"""Stitch-pattern LM for knitting charts; the attention kernel is configured
once with functools.partial."""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads, attend):
        super().__init__()
        self.heads, self.attend = heads, attend
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        x = x + self.proj(self.attend(q, k, v).transpose(1, 2).reshape(b, n, d))
        return x + self.mlp(self.ln2(x))


class StitchLM(nn.Module):
    def __init__(self, n_stitches=64, dim=64, heads=4, depth=2, ctx=128, dropout=0.0):
        super().__init__()
        attend = partial(F.scaled_dot_product_attention, dropout_p=dropout, is_causal=True)
        self.emb = nn.Embedding(n_stitches, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.blocks = nn.Sequential(*[Block(dim, heads, attend) for _ in range(depth)])
        self.head = nn.Linear(dim, n_stitches)

    def forward(self, stitches):
        x = self.emb(stitches) + self.pos(torch.arange(stitches.size(1), device=stitches.device))
        return self.head(self.blocks(x))

    def loss(self, rows):
        logits = self(rows[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), rows[:, 1:].flatten())
