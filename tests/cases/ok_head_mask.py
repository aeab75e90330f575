"""Head masks applied as Hugging Face does: after softmax, 1.0 = keep, one layer's row, (1, H, 1, 1)."""
import math

import torch
from torch import nn


class SelfAttention(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.dk = h, d // h
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.dropout = nn.Dropout(0.1)

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.h, self.dk).transpose(1, 2)

    def forward(self, x, attention_mask=None, head_mask=None):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        if attention_mask is not None:
            scores = scores + attention_mask
        probs = self.dropout(nn.functional.softmax(scores, dim=-1))
        if head_mask is not None:
            probs = probs * head_mask
        return probs @ v


class Encoder(nn.Module):
    def __init__(self, d=64, h=4, n_layers=3):
        super().__init__()
        self.h, self.n_layers = h, n_layers
        self.layers = nn.ModuleList(SelfAttention(d, h) for _ in range(n_layers))

    def forward(self, x, pruned_heads=None):
        head_mask = torch.ones(self.n_layers, self.h)
        if pruned_heads is not None:
            head_mask = head_mask.masked_fill(pruned_heads, 0.0)
        head_mask = head_mask[:, None, :, None, None]  # (layers, 1, H, 1, 1)
        for i, layer in enumerate(self.layers):
            x = x + layer(x, head_mask=head_mask[i])
        return x
