import torch
import torch.nn as nn


class CrossBlock(nn.Module):
    """Text queries attend to image patches; the text padding mask only matters for self-attention."""

    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, context, mask=None):
        y, _ = self.attn(x, context, context, need_weights=False)
        return x + y


class Captioner(nn.Module):
    def __init__(self, vocab, d=64, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.block = CrossBlock(d, h)
        self.patch = nn.Linear(768, d)

    def forward(self, ids, patches):
        mask = ids != 0
        ctx = self.patch(patches)
        return self.block(self.emb(ids), ctx, mask=mask)
