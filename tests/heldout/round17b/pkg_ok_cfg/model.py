"""Decoder-only model; attention causality comes from the config."""
import torch
import torch.nn.functional as F
from torch import nn


class TuneAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.proj = nn.Linear(cfg.dim, cfg.dim)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.cfg.heads, -1).permute(2, 0, 3, 1, 4)
        p = self.cfg.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=self.cfg.causal)
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class TuneLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.pos = nn.Embedding(cfg.context, cfg.dim)
        self.attn = nn.ModuleList(TuneAttention(cfg) for _ in range(cfg.layers))
        self.ln = nn.ModuleList(nn.LayerNorm(cfg.dim) for _ in range(cfg.layers))
        self.ff = nn.ModuleList(nn.Sequential(nn.Linear(cfg.dim, 4 * cfg.dim), nn.GELU(),
                                              nn.Linear(4 * cfg.dim, cfg.dim)) for _ in range(cfg.layers))
        self.head = nn.Linear(cfg.dim, cfg.vocab)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for attn, ln, ff in zip(self.attn, self.ln, self.ff):
            x = x + attn(ln(x))
            x = x + ff(x)
        return self.head(x)
