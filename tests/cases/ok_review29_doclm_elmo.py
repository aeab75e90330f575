"""Bidirectional language model over characters: a transformer encoder reads the whole line
and a head predicts the token at each masked-out position (cloze objective)."""
import torch
import torch.nn as nn


class ClozeModel(nn.Module):
    def __init__(self, n_chars=100, d=128):
        super().__init__()
        self.emb = nn.Embedding(n_chars, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 3)
        self.head = nn.Linear(d, n_chars)

    def forward(self, x):
        return self.head(self.enc(self.emb(x)))
