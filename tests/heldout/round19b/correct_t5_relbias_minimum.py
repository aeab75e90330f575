"""T5-style decoder self-attention: relative bias plus merged causal/padding mask."""
import math

import torch
import torch.nn as nn


class RelativeBias(nn.Module):
    def __init__(self, n_heads, num_buckets=32, max_distance=128):
        super().__init__()
        self.num_buckets = num_buckets
        self.max_distance = max_distance
        self.table = nn.Embedding(num_buckets, n_heads)

    def _bucket(self, rel):
        n = (-rel).clamp(min=0)
        exact = self.num_buckets // 2
        scaled = torch.log(n.float().clamp(min=1) / exact) / math.log(self.max_distance / exact)
        far = (exact + scaled * (self.num_buckets - exact)).long().clamp(max=self.num_buckets - 1)
        return torch.where(n < exact, n, far)

    def forward(self, q_len, k_len, device=None):
        rel = torch.arange(k_len, device=device)[None, :] - torch.arange(q_len, device=device)[:, None]
        return self.table(self._bucket(rel)).permute(2, 0, 1)[None]


class DecoderSelfAttention(nn.Module):
    def __init__(self, d_model=64, n_heads=4):
        super().__init__()
        self.h = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)
        self.bias = RelativeBias(n_heads)

    def forward(self, hidden, attention_mask):
        B, T, D = hidden.shape
        q, k, v = self.qkv(hidden).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-1, -2))

        neg = torch.finfo(scores.dtype).min
        causal = torch.full((T, T), neg, device=hidden.device).triu(1)
        padding = (1.0 - attention_mask[:, None, None, :].to(scores.dtype)) * neg
        mask = torch.minimum(causal, padding)

        scores = scores + self.bias(T, T, hidden.device) + mask
        probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(B, T, D)
        return self.o(out)
