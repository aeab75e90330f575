"""Layers iterated with zip(self.layers, self.norms) (silent: the mask is transposed to (N, S))."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads)

    def forward(self, x, key_padding_mask):
        return self.attn(x, x, x, key_padding_mask=key_padding_mask)[0]


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=32, pad=1, depth=2):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d, padding_idx=pad)
        self.layers = nn.ModuleList(Block(d) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))

    def forward(self, tokens):
        # tokens: (T, B), time-major
        x = self.emb(tokens)
        pad = tokens.eq(self.pad).t()
        for layer, norm in zip(self.layers, self.norms):
            x = norm(x + layer(x, pad))
        return x
