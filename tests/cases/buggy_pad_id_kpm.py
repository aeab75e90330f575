"""Padding masks written with the SDPA polarity for nn.Transformer* APIs (True = real token).

``src != pad_idx`` and ``positions < lengths`` are True on the real tokens; the key padding
masks of nn.TransformerEncoder and nn.MultiheadAttention hide the positions that are True.
"""
import math

import torch
import torch.nn as nn


class SentimentEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=128, nhead=4, num_layers=3, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.d_model = d_model
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=512, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.fc = nn.Linear(d_model, 2)

    def forward(self, src):
        src_key_padding_mask = src != self.pad_idx
        x = self.embedding(src) * math.sqrt(self.d_model)
        x = self.encoder(x, src_key_padding_mask=src_key_padding_mask)  # expect: ML101
        return self.fc(x.mean(dim=1))


def lengths_to_mask(lengths, max_len):
    positions = torch.arange(max_len, device=lengths.device)
    return positions[None, :] < lengths[:, None]


class SpeechEncoderLayer(nn.Module):
    """Frames of a padded speech batch: x (N, T, E) with valid lengths (N,)."""

    def __init__(self, d_model=256, nhead=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=0.1, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x, lengths):
        valid = lengths_to_mask(lengths, x.size(1))
        h, _ = self.self_attn(x, x, x, key_padding_mask=valid)  # expect: ML101
        return self.norm(x + h)
