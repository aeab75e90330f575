"""A word-level language model whose causal mask is only built when the caller asks for it."""
import math

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, n_words, d=128, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(n_words, d)
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 4 * d), layers)
        self.readout = nn.Linear(d, n_words)
        self.d = d
        self.future = None

    def forward(self, tokens, use_mask=True):
        if use_mask:
            T = tokens.size(0)
            self.future = nn.Transformer.generate_square_subsequent_mask(T).to(tokens.device)
        else:
            self.future = None
        h = self.body(self.embed(tokens) * math.sqrt(self.d), self.future)
        return self.readout(h)
