"""Sequence-first encoder; padding mask transposed along with the embeddings."""
import torch
import torch.nn as nn


class SeqFirstEncoder(nn.Module):
    def __init__(self, vocab=5000, d=128, h=4, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h), 2)

    def forward(self, ids):
        # ids: (N, S)
        x = self.emb(ids).transpose(0, 1)  # (S, N, E)
        pad = (ids == self.pad).transpose(0, 1)  # (S, N) like x
        return self.enc(x, src_key_padding_mask=pad)  # expect: ML304
