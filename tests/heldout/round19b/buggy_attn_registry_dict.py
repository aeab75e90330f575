"""Encoder with pluggable attention back-ends chosen by name from the config."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


def eager_attention(q, k, v, mask, dropout=0.0):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))  # BUG: mask is a keep mask (True = attend, as SDPA takes it); eager must fill ~mask
    probs = F.dropout(scores.softmax(-1), p=dropout)
    return probs @ v


def sdpa_attention(q, k, v, mask, dropout=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout)


ATTENTION_FUNCTIONS = {
    "eager": eager_attention,
    "sdpa": sdpa_attention,
}


@dataclass
class EncoderConfig:
    vocab_size: int = 2000
    hidden: int = 64
    heads: int = 4
    layers: int = 2
    attn_implementation: str = "eager"
    pad_token_id: int = 0


class Attention(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.heads = cfg.heads
        self.qkv = nn.Linear(cfg.hidden, 3 * cfg.hidden)
        self.out = nn.Linear(cfg.hidden, cfg.hidden)
        self.attn_fn = ATTENTION_FUNCTIONS[cfg.attn_implementation]

    def forward(self, x, mask):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        ctx = self.attn_fn(q, k, v, mask)
        return self.out(ctx.transpose(1, 2).reshape(B, L, D))


class Encoder(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(cfg.vocab_size, cfg.hidden)
        self.attn = nn.ModuleList(Attention(cfg) for _ in range(cfg.layers))
        self.ffn = nn.ModuleList(nn.Sequential(nn.Linear(cfg.hidden, 4 * cfg.hidden), nn.GELU(), nn.Linear(4 * cfg.hidden, cfg.hidden)) for _ in range(cfg.layers))
        self.ln = nn.ModuleList(nn.LayerNorm(cfg.hidden) for _ in range(2 * cfg.layers))

    def forward(self, input_ids):
        keep = (input_ids != self.cfg.pad_token_id)[:, None, None, :]
        h = self.emb(input_ids)
        for i, (attn, ffn) in enumerate(zip(self.attn, self.ffn)):
            h = h + attn(self.ln[2 * i](h), keep)
            h = h + ffn(self.ln[2 * i + 1](h))
        return h
