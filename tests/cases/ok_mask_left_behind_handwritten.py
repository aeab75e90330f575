"""Near-misses of buggy_mask_left_behind_handwritten.py: the masks are passed on, or the mask the
layer holds is read elsewhere (pooling)."""
import math

import torch
import torch.nn as nn


class Scorer(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.d = d
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, mask=None):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d)
        if mask is not None:
            scores = scores.masked_fill(mask[:, None, :], float("-inf"))
        return scores.softmax(-1) @ v


class ReviewEncoder(nn.Module):
    def __init__(self, vocab=1000, d=32, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_idx)
        self.attn = Scorer(d)
        self.cls = nn.Linear(d, 2)

    def forward(self, tokens):
        pad = tokens.eq(self.pad_idx)
        h = self.attn(self.emb(tokens), pad)
        return self.cls(h.mean(1))


class ImagePatches(nn.Module):
    """Fixed-size patches: no padding, and the attention is called with none."""

    def __init__(self, d=32):
        super().__init__()
        self.attn = Scorer(d)
        self.embed = nn.Linear(48, d)

    def forward(self, patches):
        return self.attn(self.embed(patches)).mean(1)
