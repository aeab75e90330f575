"""Sequence-first modules (no batch_first=True) used batch-first (catalogue P3-8): fed embeddings
whose positions run along dimension 1 of the ids, or read as (N, S, E) after the call."""
import torch
import torch.nn as nn


class SmilesEncoder(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, max_len=256):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.drop = nn.Dropout(0.1)
        self.attn = nn.MultiheadAttention(d, heads)  # expect: ML305

    def forward(self, ids):
        positions = torch.arange(ids.size(1), device=ids.device)
        x = self.drop(self.tok(ids) + self.pos(positions)[None])
        return self.attn(x, x, x, need_weights=False)[0]


class Classifier(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, dim_feedforward=64), num_layers=2)  # expect: ML305
        self.head = nn.Linear(d, 2)

    def forward(self, feats):
        h = self.encoder(feats)
        return self.head(h.max(dim=1).values)
