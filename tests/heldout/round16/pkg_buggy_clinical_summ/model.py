"""Discharge-note summarizer (seq2seq)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .data import PAD, NoteBatch


class NoteSummarizer(nn.Module):
    def __init__(self, vocab=3000, dim=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(512, dim)
        self.transformer = nn.Transformer(dim, heads, layers, layers, 4 * dim, dropout=0.0, batch_first=True)
        self.out = nn.Linear(dim, vocab)

    def embed(self, ids):
        return self.emb(ids) * math.sqrt(self.emb.embedding_dim) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, batch: NoteBatch):
        t = batch.summary_in.size(1)
        causal = self.transformer.generate_square_subsequent_mask(t, device=batch.summary_in.device, dtype=torch.bool)
        src, tgt = self.embed(batch.note_ids), self.embed(batch.summary_in)
        h = self.transformer(src, tgt, tgt_mask=causal, src_key_padding_mask=batch.note_pad, tgt_key_padding_mask=batch.summary_pad)  # expect: ML502
        return self.out(h)

    def loss(self, batch: NoteBatch):
        logits = self(batch)
        return F.cross_entropy(logits.transpose(1, 2), batch.summary_out, ignore_index=PAD)
