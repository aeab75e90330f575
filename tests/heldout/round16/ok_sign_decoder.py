"""Gloss-to-text decoder for sign-language translation."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class GlossToText(nn.Module):
    def __init__(self, n_gloss=300, vocab=500, dim=64, layers=2, pad=0):
        super().__init__()
        self.pad = pad
        self.gloss = nn.Embedding(n_gloss, dim, padding_idx=pad)
        self.words = nn.Embedding(vocab, dim, padding_idx=pad)
        enc = nn.TransformerEncoderLayer(dim, 4, 4 * dim, dropout=0.1, batch_first=True)
        dec = nn.TransformerDecoderLayer(dim, 4, 4 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, gloss_ids, words):
        gloss_pad = gloss_ids.eq(self.pad)
        memory = self.encoder(self.gloss(gloss_ids) * math.sqrt(self.gloss.embedding_dim), src_key_padding_mask=gloss_pad)
        tgt = self.words(words)
        causal = nn.Transformer.generate_square_subsequent_mask(words.size(1), device=words.device)
        out = self.decoder(
            tgt, memory,
            tgt_mask=causal, tgt_is_causal=True,
            tgt_key_padding_mask=words.eq(self.pad).float().masked_fill(words.eq(self.pad), float("-inf")),
            memory_key_padding_mask=gloss_pad.float().masked_fill(gloss_pad, float("-inf")),
        )
        return self.lm_head(out)

    def loss(self, gloss_ids, words):
        logits = self(gloss_ids, words[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), words[:, 1:], ignore_index=self.pad)
