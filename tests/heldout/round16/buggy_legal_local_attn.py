"""Local (banded) attention encoder for long contracts and court rulings.

Inference runs the whole model in float16 to fit 16k-token documents.
"""
import math

import torch
import torch.nn as nn


def band(n, window, device=None):
    pos = torch.arange(n, device=device)
    return (pos[:, None] - pos[None, :]).abs() <= window


class LocalSelfAttention(nn.Module):
    def __init__(self, dim=64, heads=4, window=8):
        super().__init__()
        self.heads, self.window = heads, window
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, pad):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        local = band(n, self.window, x.device)[None, None] & ~pad[:, None, None, :]
        scores = scores.masked_fill(~local, -1e9)  # expect: ML205
        y = scores.softmax(dim=-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class RulingEncoder(nn.Module):
    def __init__(self, vocab=8000, dim=64, depth=2, window=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.layers = nn.ModuleList(LocalSelfAttention(dim, window=window) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.cls = nn.Linear(dim, 3)  # affirmed / reversed / remanded

    def forward(self, ids):
        pad = ids.eq(0)
        x = self.emb(ids)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), pad)
        keep = (~pad).unsqueeze(-1).to(x.dtype)
        return self.cls((x * keep).sum(1) / keep.sum(1))


def load_for_inference(state_dict=None):
    model = RulingEncoder()
    if state_dict is not None:
        model.load_state_dict(state_dict)
    return model.half().eval()
