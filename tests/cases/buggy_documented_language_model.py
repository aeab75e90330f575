"""Language modeling with nn.TransformerEncoder: the model alone, its training script elsewhere
(incidents16 P4-1, the pytorch tutorial without its src_mask; variants documented by their class)."""
import math

import torch
from torch import nn


class TextModel(nn.Module):
    """Word-level language modeling, as the tutorial's model (without its src_mask)."""

    def __init__(self, ntoken, d_model=64, nhead=4, nlayers=2):
        super().__init__()
        self.embedding = nn.Embedding(ntoken, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model), nlayers)
        self.linear = nn.Linear(d_model, ntoken)
        self.d_model = d_model

    def forward(self, src):
        h = self.encoder(self.embedding(src) * math.sqrt(self.d_model))  # expect: ML401
        return self.linear(h)


class Poet(nn.Module):
    """A small decoder-only transformer over characters."""

    def __init__(self, chars=96, d=64):
        super().__init__()
        self.tok = nn.Embedding(chars, d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.head = nn.Linear(d, chars)

    def forward(self, x):
        h = self.tok(x)
        return self.head(h + self.attn(h, h, h, need_weights=False)[0])  # expect: ML401
