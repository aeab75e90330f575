"""Sequence-first models with (N, S) key padding masks."""
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
        # src: (S, N) token ids
        padding = (src == self.pad_idx).transpose(0, 1)
        x = self.embed(src) * math.sqrt(self.d_model)
        return self.encoder(x, src_key_padding_mask=padding)


class FrameEncoder(nn.Module):
    def __init__(self, d_model=256, nhead=4):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d_model, nhead)

    def forward(self, x, n_valid):
        # x: (S, N, E)
        pad = torch.zeros(x.size(1), x.size(0), dtype=torch.bool, device=x.device)
        pad[:, n_valid:] = True
        return self.layer(x, src_key_padding_mask=pad)


class BatchFirstEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=256, nhead=4, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, d_model)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)

    def forward(self, src):
        # src: (N, S) token ids
        return self.layer(self.embed(src), src_key_padding_mask=src == self.pad_idx)
