"""Adapter attention plugged into a BERT-style encoder.

The host model calls every layer with `extended_attention_mask`, already
broadcast to (B, 1, 1, S) and additive: 0.0 for tokens, finfo.min for padding.
"""
import torch
import torch.nn as nn


def get_extended_attention_mask(attention_mask, dtype=torch.float32):
    ext = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class AdapterSelfAttention(nn.Module):
    def __init__(self, hidden=64, heads=4, bottleneck=16):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.adapter = nn.Sequential(nn.Linear(hidden, bottleneck), nn.ReLU(), nn.Linear(bottleneck, hidden))

    def forward(self, hidden_states, extended_attention_mask):
        B, S, H = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (H // self.heads) ** 0.5
        scores = scores.masked_fill(extended_attention_mask == 0, float("-inf"))  # BUG: the extended mask is additive (0.0 = keep); == 0 selects the real tokens and blocks them, padding stays visible
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, H)
        ctx = self.out(ctx)
        return ctx + self.adapter(ctx)


class AdapterEncoder(nn.Module):
    def __init__(self, vocab=1000, hidden=64, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(AdapterSelfAttention(hidden) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        ext = get_extended_attention_mask(attention_mask)
        h = self.emb(input_ids)
        for layer, norm in zip(self.layers, self.norms):
            h = norm(h + layer(h, ext))
        return h
