"""Tiny decoder-only LM for arithmetic word problems (digits and operators)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = list("0123456789+-*/=() ") + ["<bos>", "<eos>"]


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]  # expect: ML404
        return x + self.mlp(self.ln2(x))


class ArithmeticLM(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, n_ctx=64):
        super().__init__()
        self.tok = nn.Embedding(len(VOCAB), dim)
        self.pos = nn.Parameter(torch.zeros(n_ctx, dim))
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.ln_f = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, len(VOCAB), bias=False)
        future = torch.triu(torch.ones(n_ctx, n_ctx, dtype=torch.bool))
        self.register_buffer("future", future, persistent=False)

    def forward(self, idx):
        t = idx.size(1)
        x = self.tok(idx) + self.pos[:t]
        for blk in self.blocks:
            x = blk(x, self.future[:t, :t])
        return self.head(self.ln_f(x))

    def loss(self, idx):
        logits = self(idx[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), idx[:, 1:].reshape(-1))
