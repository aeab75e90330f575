"""Autoregressive transformer for symbolic music (event tokens). The block
can run on nn.MultiheadAttention or on SDPA, selected by the config."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class MusicConfig:
    n_tokens: int = 388
    d_model: int = 512
    n_heads: int = 8
    n_layers: int = 6
    max_len: int = 2048
    use_sdpa: bool = True


def subsequent_mask(size, device=None):
    """True where query i must not look at key j (the keys at or after i)."""
    return torch.triu(torch.ones(size, size, dtype=torch.bool, device=device))


class MusicBlock(nn.Module):
    def __init__(self, cfg: MusicConfig):
        super().__init__()
        self.cfg = cfg
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        if cfg.use_sdpa:
            self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
            self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        else:
            self.mha = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(), nn.Linear(4 * cfg.d_model, cfg.d_model))

    def _attend(self, h):
        B, T, D = h.shape
        if self.cfg.use_sdpa:
            q, k, v = self.qkv(h).view(B, T, 3, self.cfg.n_heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(
                q, k, v,
                attn_mask=~subsequent_mask(T, h.device),  # expect: ML404
            )
            return self.proj(y.transpose(1, 2).reshape(B, T, D))
        y, _ = self.mha(
            h, h, h,
            attn_mask=subsequent_mask(T, h.device),  # expect: ML404
            need_weights=False,
        )
        return y

    def forward(self, x):
        x = x + self._attend(self.ln1(x))
        return x + self.ff(self.ln2(x))


class MusicTransformer(nn.Module):
    def __init__(self, cfg: MusicConfig):
        super().__init__()
        self.emb = nn.Embedding(cfg.n_tokens, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_len, cfg.d_model)
        self.blocks = nn.ModuleList(MusicBlock(cfg) for _ in range(cfg.n_layers))
        self.out = nn.Linear(cfg.d_model, cfg.n_tokens)

    def forward(self, events):
        x = self.emb(events) + self.pos(torch.arange(events.size(1), device=events.device))
        for b in self.blocks:
            x = b(x)
        return self.out(x)

    def training_loss(self, events):
        logits = self(events[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), events[:, 1:])
