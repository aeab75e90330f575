"""Key padding masks laid out (S, N) in sequence-first models (P3-6, P3-7).

Without batch_first the inputs are (S, N, E), but key_padding_mask is always (N, S).  A mask
built from the (S, N) token matrix, or sized from x.size(0), x.size(1), fails when S != N
and silently pads the wrong positions when S == N.
"""
import math

import torch
import torch.nn as nn


class Seq2SeqEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=512, nhead=8, num_layers=6, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.d_model = d_model
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, src):
        # src: (S, N) token ids, as produced by a seq-first collate function
        padding = src == self.pad_idx
        x = self.embed(src) * math.sqrt(self.d_model)
        return self.encoder(x, src_key_padding_mask=padding)  # expect: ML304


class FrameEncoder(nn.Module):
    def __init__(self, d_model=256, nhead=4):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d_model, nhead)

    def forward(self, x, n_valid):
        # x: (S, N, E); the first n_valid frames of every clip are real
        pad = torch.zeros(x.size(0), x.size(1), dtype=torch.bool, device=x.device)
        pad[n_valid:] = True
        return self.layer(x, src_key_padding_mask=pad)  # expect: ML304
