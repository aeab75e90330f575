"""Encoder half of a fairseq-style NMT model: tokens arrive as (src_len, batch)."""
import math

import torch
import torch.nn as nn


class NMTEncoder(nn.Module):
    def __init__(self, num_embeddings=1000, embed_dim=64, heads=4, layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_scale = math.sqrt(embed_dim)
        self.embed_tokens = nn.Embedding(num_embeddings, embed_dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList(
            [nn.TransformerEncoderLayer(embed_dim, heads, 2 * embed_dim, dropout=0.0) for _ in range(layers)]
        )

    def forward(self, src_tokens):
        # src_tokens: T x B
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        x = self.embed_tokens(src_tokens) * self.embed_scale
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=encoder_padding_mask)  # expect: ML304
        return x, encoder_padding_mask
