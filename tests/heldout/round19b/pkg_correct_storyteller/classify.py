"""Reuse the story backbone as a bidirectional genre classifier."""
from dataclasses import replace

import torch
import torch.nn as nn

from .blocks import Block
from .config import ModelConfig


class GenreClassifier(nn.Module):
    def __init__(self, cfg: ModelConfig, n_genres: int):
        super().__init__()
        enc_cfg = replace(cfg, causal=False)
        self.wte = nn.Embedding(enc_cfg.vocab_size, enc_cfg.n_embd)
        self.wpe = nn.Embedding(enc_cfg.block_size, enc_cfg.n_embd)
        self.blocks = nn.ModuleList(Block(enc_cfg) for _ in range(enc_cfg.n_layer))
        self.norm = nn.LayerNorm(enc_cfg.n_embd)
        self.head = nn.Linear(enc_cfg.n_embd, n_genres)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1), device=idx.device))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x).mean(dim=1))
