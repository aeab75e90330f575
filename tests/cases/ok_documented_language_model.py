"""Masked language modeling with nn.TransformerEncoder (BERT-style): bidirectional by design."""
import math

import torch
from torch import nn


class TextModel(nn.Module):
    def __init__(self, ntoken, d_model=64, nhead=4, nlayers=2):
        super().__init__()
        self.embedding = nn.Embedding(ntoken, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model), nlayers)
        self.linear = nn.Linear(d_model, ntoken)
        self.d_model = d_model

    def forward(self, src):
        return self.linear(self.encoder(self.embedding(src) * math.sqrt(self.d_model)))


class Poet(nn.Module):
    """A small decoder-only transformer over characters; causal by is_causal."""

    def __init__(self, chars=96, d=64):
        super().__init__()
        self.tok = nn.Embedding(chars, d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.head = nn.Linear(d, chars)

    def forward(self, x):
        h = self.tok(x)
        T = x.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        return self.head(h + self.attn(h, h, h, attn_mask=causal, is_causal=True, need_weights=False)[0])


class Tagger(nn.Module):
    """Part-of-speech tagger on top of a language model's token embeddings."""

    def __init__(self, ntoken, tags=17, d=64):
        super().__init__()
        self.emb = nn.Embedding(ntoken, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 4 * d), 2)
        self.out = nn.Linear(d, tags)

    def forward(self, ids):
        return self.out(self.encoder(self.emb(ids)))
