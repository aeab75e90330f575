"""Batch-first seq2seq where the causal mask is sized from dim 0."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class Seq2SeqConfig:
    vocab: int = 8000
    d_model: int = 256
    nhead: int = 4
    layers: int = 3


class Seq2Seq(nn.Module):
    def __init__(self, cfg: Seq2SeqConfig):
        super().__init__()
        self.emb = nn.Embedding(cfg.vocab, cfg.d_model)
        self.core = nn.Transformer(cfg.d_model, cfg.nhead, cfg.layers, cfg.layers, batch_first=True)
        self.out = nn.Linear(cfg.d_model, cfg.vocab)

    def forward(self, src, tgt):
        # src, tgt: (N, S) / (N, T) token ids
        tgt_len = tgt.shape[0]
        causal = self.core.generate_square_subsequent_mask(tgt_len, device=tgt.device)
        y = self.core(self.emb(src), self.emb(tgt), tgt_mask=causal)  # expect: ML303
        return self.out(y)
