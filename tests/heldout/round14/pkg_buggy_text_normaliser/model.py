from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .batching import PAD, NormBatch


class Normaliser(nn.Module):
    def __init__(self, vocab_size: int, width: int = 48, d_model: int = 64, nhead: int = 4, layers: int = 2):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(width, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 2 * d_model, 0.1, batch_first=True)
        self.proj = nn.Linear(d_model, vocab_size)
        causal = torch.triu(torch.ones(width - 1, width - 1, dtype=torch.bool), diagonal=1)
        self.register_buffer("causal", causal, persistent=False)

    def forward(self, batch: NormBatch) -> torch.Tensor:
        tgt_in = batch.tgt[:, :-1]
        out = self.transformer(
            self.emb(batch.src) + self.pos,
            self.emb(tgt_in) + self.pos[:-1],
            tgt_mask=self.causal,
            src_key_padding_mask=batch.src_pad,
            tgt_key_padding_mask=batch.tgt_pad[:, :-1],
            memory_key_padding_mask=batch.tgt_pad,  # expect: ML503
        )
        return self.proj(out)

    def loss(self, batch: NormBatch) -> torch.Tensor:
        return F.cross_entropy(self(batch).transpose(1, 2), batch.tgt[:, 1:], ignore_index=PAD)
