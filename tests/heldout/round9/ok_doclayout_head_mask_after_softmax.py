"""LayoutLM-style document encoder (text + 2D box embeddings) with head pruning:
head_mask multiplies the attention probabilities after the softmax."""
import math

import torch
import torch.nn as nn


class LayoutSelfAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, keep, head_mask=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        scores = scores.masked_fill(~keep[:, None, None, :], float("-inf"))
        probs = scores.softmax(-1)
        if head_mask is not None:
            probs = probs * head_mask[None, :, None, None]
        ctx = probs @ v
        return ctx


class LayoutEncoder(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.box = nn.Linear(4, d)
        self.attn = LayoutSelfAttention(d)

    def forward(self, ids, boxes, keep, head_mask=None):
        return self.attn(self.word(ids) + self.box(boxes), keep, head_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = LayoutEncoder()
    ids, boxes = torch.randint(0, 100, (2, 6)), torch.rand(2, 6, 4)
    keep = torch.ones(2, 6, dtype=torch.bool)
    keep[1, 4:] = False
    ctx = enc(ids, boxes, keep, head_mask=torch.tensor([1.0, 0.0, 1.0, 1.0]))
    assert ctx[:, 1].abs().max() == 0, "pruned head not silenced"
    assert not torch.isnan(ctx).any()
    print("OK: pruned head outputs exactly zero, others intact")
