"""Layers built with functools.partial; padding mask keeps the real tokens."""
import functools

import torch
import torch.nn as nn

Attention = functools.partial(nn.MultiheadAttention, batch_first=True, dropout=0.1)


class PoolingHead(nn.Module):
    def __init__(self, vocab=30000, d_model=128, n_heads=4, pad_id=1):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.query = nn.Parameter(torch.randn(1, 1, d_model))
        self.attn = Attention(d_model, n_heads)

    def forward(self, ids):
        x = self.emb(ids)
        valid = ids.ne(self.pad_id)
        q = self.query.expand(ids.size(0), -1, -1)
        pooled, _ = self.attn(q, x, x, key_padding_mask=valid)  # expect: ML101
        return pooled.squeeze(1)
