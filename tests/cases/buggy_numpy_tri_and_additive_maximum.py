"""Masks built with np.tri, and additive masks combined with torch.maximum (-inf only where both
hide: the causal part of a padded batch is lost) (round19's pottery and spreadsheet models)."""
from functools import lru_cache

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


@lru_cache(maxsize=8)
def order_bias(n):
    allowed = np.tri(n, dtype=np.float32)
    return torch.from_numpy(np.where(allowed > 0, -np.inf, 0.0).astype(np.float32))


class RecipeLM(nn.Module):
    def __init__(self, vocab=80, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        h = self.emb(ids)
        return self.head(self.attn(h, h, h, attn_mask=order_bias(ids.size(1)))[0])  # expect: ML103


def keep_lower(n):
    return torch.from_numpy(np.tri(n, n, 0, dtype=bool))


def block_attention(q, k, v):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~keep_lower(q.size(-2)))  # expect: ML102


class CellLM(nn.Module):
    def __init__(self, vocab=300, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        b, t = ids.shape
        future = torch.full((t, t), float("-inf")).triu(1)[None, None]
        padding = torch.zeros(ids.shape).masked_fill(ids == PAD, float("-inf"))[:, None, None, :]
        bias = torch.maximum(future, padding)
        q, k, v = self.qkv(self.emb(ids)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML401
        return self.head(y.transpose(1, 2).reshape(b, t, -1))

    def generate(self, ids, n):
        for _ in range(n):
            ids = torch.cat([ids, self(ids)[:, -1:].argmax(-1)], 1)
        return ids
