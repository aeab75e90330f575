"""Clause classification for long contracts with banded local attention;
served in float16."""
import math

import torch
import torch.nn as nn


class BandedAttention(nn.Module):
    def __init__(self, dim=64, heads=4, window=8):
        super().__init__()
        self.heads, self.window = heads, window
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, pad):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        pos = torch.arange(n, device=x.device)
        local = (pos[:, None] - pos[None, :]).abs() <= self.window
        allowed = local[None, None] & ~pad[:, None, None, :]
        scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
        return self.out((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d))


class ClauseClassifier(nn.Module):
    def __init__(self, vocab=8000, dim=64, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.layers = nn.ModuleList(BandedAttention(dim) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.cls = nn.Linear(dim, 12)

    def forward(self, ids):
        pad = ids.eq(0)
        x = self.emb(ids)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), pad)
        return self.cls(x)


def for_serving(model):
    return model.half().eval()
