"""Sequence tagger with a Transformer decoder over the previous tags: the tags are aligned 1:1 with
the source tokens, so one padding mask serves the target and the memory.  Correct code."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class TagBatch:
    tokens: torch.Tensor      # (N, L)
    prev_tags: torch.Tensor   # (N, L): gold tags shifted right, aligned with tokens
    pad: torch.Tensor         # (N, L) bool, True at padding (same for tokens and tags)


class Tagger(nn.Module):
    def __init__(self, vocab=1000, n_tags=20, dim=64, heads=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.tag = nn.Embedding(n_tags, dim)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(dim, heads, batch_first=True), 2)
        self.out = nn.Linear(dim, n_tags)

    def forward(self, batch: TagBatch):
        memory = self.encoder(self.tok(batch.tokens), src_key_padding_mask=batch.pad)
        L = batch.prev_tags.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L)
        h = self.decoder(self.tag(batch.prev_tags), memory, tgt_mask=causal,
                         tgt_key_padding_mask=batch.pad, memory_key_padding_mask=batch.pad)
        return self.out(h)
