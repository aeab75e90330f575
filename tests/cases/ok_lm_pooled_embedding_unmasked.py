"""A causal LM (mask on by default, also in its sampling loop) that also offers a pooled sentence
embedding running its blocks without the mask, bidirectionally on purpose: correct."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, mask):
        x = x + self.attn(x, x, x, attn_mask=mask, need_weights=False)[0]
        return x + self.ff(x)


class LyricLM(nn.Module):
    def __init__(self, vocab=200, dim=32, heads=4, depth=2, ctx=64):
        super().__init__()
        self.ctx = ctx
        self.embed = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx, causal=True):
        n = idx.size(1)
        mask = torch.triu(torch.ones(n, n, dtype=torch.bool), 1) if causal else None
        x = self.embed(idx)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(x)

    def sentence_embedding(self, idx):
        x = self.embed(idx)
        for blk in self.blocks:
            x = blk(x, None)
        return x.mean(1)

    @torch.no_grad()
    def sample(self, idx, n_new):
        for _ in range(n_new):
            logits = self(idx[:, -self.ctx:])[:, -1]
            idx = torch.cat([idx, torch.multinomial(F.softmax(logits, -1), 1)], 1)
        return idx
