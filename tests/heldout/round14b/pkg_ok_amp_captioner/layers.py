import math

import torch
import torch.nn as nn


class MaskedAttention(nn.Module):
    """Hand-written attention; the softmax always runs in float32."""

    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, context, mask=None):
        B, L, D = x.shape
        S = context.size(1)
        q = self.q(x).view(B, L, self.heads, -1).transpose(1, 2)
        k, v = self.kv(context).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        scores = scores.float()
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)
        probs = self.drop(torch.softmax(scores, dim=-1)).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(B, L, D))


class CaptionDecoderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.self_attn = MaskedAttention(dim, heads)
        self.cross_attn = MaskedAttention(dim, heads)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.n1, self.n2, self.n3 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, y, img, self_mask):
        h = self.n1(y)
        y = y + self.self_attn(h, h, self_mask)
        y = y + self.cross_attn(self.n2(y), img)
        return y + self.ff(self.n3(y))


def caption_mask(tokens, pad_id=0):
    """(B, 1, L, L) 1 = may attend: causal and not padding."""
    L = tokens.size(1)
    causal = torch.tril(torch.ones(L, L, dtype=torch.bool, device=tokens.device))
    return (causal[None] & (tokens != pad_id)[:, None, :]).unsqueeze(1)
