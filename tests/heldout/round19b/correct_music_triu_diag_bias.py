"""Relative self-attention for symbolic music with an additive causal mask."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class RelativeSelfAttention(nn.Module):
    def __init__(self, d_model=64, n_heads=4, max_len=256):
        super().__init__()
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.max_len = max_len
        self.rel = nn.Parameter(torch.randn(max_len, self.d_head) * 0.02)
        self.register_buffer(
            "neg_future",
            torch.triu(torch.full((max_len, max_len), float("-inf")), diagonal=1),
            persistent=False,
        )

    def skew(self, rel_logits):
        b, h, n, _ = rel_logits.shape
        x = F.pad(rel_logits, (1, 0)).reshape(b, h, n + 1, n)
        return x[:, :, 1:]

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = [t.reshape(b, n, self.n_heads, self.d_head).permute(0, 2, 1, 3) for t in (q, k, v)]
        srel = self.skew(q @ self.rel[self.max_len - n:].t())
        scores = (q @ k.transpose(-2, -1) + srel) / math.sqrt(self.d_head)
        scores = scores + self.neg_future[:n, :n]
        attn = scores.softmax(-1)
        y = (attn @ v).permute(0, 2, 1, 3).reshape(b, n, d)
        return self.proj(y)


class EventModel(nn.Module):
    def __init__(self, n_events=388, d_model=64, layers=2):
        super().__init__()
        self.emb = nn.Embedding(n_events, d_model)
        self.attn = nn.ModuleList(RelativeSelfAttention(d_model) for _ in range(layers))
        self.ff = nn.ModuleList(
            nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))
            for _ in range(layers)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(2 * layers))
        self.head = nn.Linear(d_model, n_events)

    def forward(self, events):
        h = self.emb(events)
        for i, (attn, ff) in enumerate(zip(self.attn, self.ff)):
            h = self.norms[2 * i](h + attn(h))
            h = self.norms[2 * i + 1](h + ff(h))
        return self.head(h)
