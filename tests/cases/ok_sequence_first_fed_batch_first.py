"""Sequence-first modules given (S, N, E) and read that way, and batch-first ones read batch-first."""
import torch
import torch.nn as nn


class SmilesEncoder(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, max_len=256):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.MultiheadAttention(d, heads)

    def forward(self, ids):
        positions = torch.arange(ids.size(1), device=ids.device)
        x = (self.tok(ids) + self.pos(positions)[None]).transpose(0, 1)
        return self.attn(x, x, x, need_weights=False)[0].transpose(0, 1)


class Classifier(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, dim_feedforward=64), num_layers=2)
        self.head = nn.Linear(d, 2)

    def forward(self, feats):
        h = self.encoder(feats)
        return self.head(h[0] + h.mean(dim=0))


class BatchFirstClassifier(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(d, 2)

    def forward(self, feats):
        return self.head(self.encoder(feats).mean(dim=1))
