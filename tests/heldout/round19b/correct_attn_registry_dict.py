"""Encoder whose attention kernel is looked up by name."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


def _eager(q, k, v, keep, dropout=0.0):
    scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.size(-1))
    if keep is not None:
        scores = scores.masked_fill(~keep, float("-inf"))
    return torch.matmul(F.dropout(scores.softmax(-1), p=dropout), v)


def _sdpa(q, k, v, keep, dropout=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=dropout)


def _chunked(q, k, v, keep, dropout=0.0, chunk=64):
    outs = []
    for s in range(0, q.size(-2), chunk):
        part = None if keep is None else keep[..., s:s + chunk, :] if keep.size(-2) > 1 else keep
        outs.append(_sdpa(q[..., s:s + chunk, :], k, v, part, dropout))
    return torch.cat(outs, dim=-2)


ATTN_IMPLS = {"eager": _eager, "sdpa": _sdpa, "chunked": _chunked}


@dataclass
class EncoderConfig:
    vocab_size: int = 2000
    hidden: int = 64
    heads: int = 4
    layers: int = 2
    attn_implementation: str = "eager"
    pad_token_id: int = 0


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.heads = cfg.heads
        self.qkv = nn.Linear(cfg.hidden, 3 * cfg.hidden)
        self.out = nn.Linear(cfg.hidden, cfg.hidden)
        self.impl = cfg.attn_implementation

    def forward(self, x, keep):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        ctx = ATTN_IMPLS[self.impl](q, k, v, keep)
        return self.out(ctx.transpose(1, 2).reshape(B, L, D))


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(cfg.vocab_size, cfg.hidden)
        self.layers = nn.ModuleList(
            nn.ModuleList([nn.LayerNorm(cfg.hidden), Attention(cfg), nn.LayerNorm(cfg.hidden),
                           nn.Sequential(nn.Linear(cfg.hidden, 4 * cfg.hidden), nn.GELU(), nn.Linear(4 * cfg.hidden, cfg.hidden))])
            for _ in range(cfg.layers)
        )

    def forward(self, input_ids):
        keep = input_ids.ne(self.cfg.pad_token_id)[:, None, None, :]
        h = self.emb(input_ids)
        for ln1, attn, ln2, ffn in self.layers:
            h = h + attn(ln1(h), keep)
            h = h + ffn(ln2(h))
        return h
