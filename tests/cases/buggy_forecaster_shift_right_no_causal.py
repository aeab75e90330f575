"""Decoders of values trained with teacher forcing: their inputs are the targets shifted right by
one, and their self-attention runs without a causal mask, so each step sees the value it predicts."""
import torch
import torch.nn as nn


def shift_right(history, targets):
    return torch.cat([history[:, -1:], targets[:, :-1]], dim=1)


class Forecaster(nn.Module):
    def __init__(self, features=3, d=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(features, d)
        self.model = nn.Transformer(d, heads, 2, 2, 64, batch_first=True)
        self.out = nn.Linear(d, features)

    def forward(self, history, decoder_inputs):
        h = self.model(self.inp(history), self.inp(decoder_inputs))  # expect: ML401
        return self.out(h)


class SeqFirstForecaster(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.proj = nn.Linear(1, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads), 2)
        self.head = nn.Linear(d, 1)

    def forward(self, memory, targets, start):
        inputs = torch.concat((start, targets[:-1]))
        return self.head(self.decoder(self.proj(inputs), memory))  # expect: ML401
