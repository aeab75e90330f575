"""Causal masks sized from the batch dimension (P3-5).

With batch_first=True, tgt.size(0) is the batch size; without it, x.size(1) is.  Training
with a square batch may even run; otherwise it fails on the fast path with
"shape '[1, 1, 52, 52]' is invalid".
"""
import math

import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=512, nhead=8, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.src_embed = nn.Embedding(src_vocab, d_model)
        self.tgt_embed = nn.Embedding(tgt_vocab, d_model)
        self.transformer = nn.Transformer(d_model, nhead, num_encoder_layers=3, num_decoder_layers=3, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        # src: (N, S), tgt: (N, T) token ids
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0)).to(tgt.device)
        src_pad = src == self.pad_idx
        tgt_pad = tgt == self.pad_idx
        out = self.transformer(
            self.src_embed(src), self.tgt_embed(tgt),
            tgt_mask=tgt_mask,  # expect: ML303
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.generator(out)


class WordLM(nn.Module):
    def __init__(self, ntoken, d_model=200, nhead=2, nlayers=2):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(ntoken, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 200, 0.2)
        self.encoder = nn.TransformerEncoder(layer, nlayers)
        self.decoder = nn.Linear(d_model, ntoken)

    def forward(self, src):
        # src: (S, N) token ids, seq-first like the word_language_model example
        x = self.embed(src) * math.sqrt(self.d_model)
        mask = nn.Transformer.generate_square_subsequent_mask(x.size(1), device=src.device)
        return self.decoder(self.encoder(x, mask=mask))  # expect: ML303
