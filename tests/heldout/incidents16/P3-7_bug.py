"""Frame-level speech encoder: nn.TransformerEncoder over (time, batch, feature) features."""
import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=500):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(1))  # (max_len, 1, d_model)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class SpeechEncoder(nn.Module):
    def __init__(self, n_mels=20, d_model=32, nhead=4, num_layers=2, n_phones=12):
        super().__init__()
        self.frontend = nn.Linear(n_mels, d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(d_model, n_phones)

    def make_padding_mask(self, lengths, max_len):
        frames = torch.arange(max_len, device=lengths.device)
        return frames[:, None] >= lengths[None, :]  # BUG: built (time, batch); src_key_padding_mask must be (batch, time)

    def forward(self, feats, lengths):
        # feats: (time, batch, n_mels)
        x = self.pos(self.frontend(feats))
        pad = self.make_padding_mask(lengths, feats.size(0))
        x = self.encoder(x, src_key_padding_mask=pad)
        return self.classifier(x)  # (time, batch, n_phones) frame posteriors
