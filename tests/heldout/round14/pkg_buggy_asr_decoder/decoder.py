from __future__ import annotations

from typing import Dict

import torch
from torch import nn


class TokenDecoder(nn.Module):
    def __init__(self, vocab: int, d_model: int, nhead: int, layers: int, max_len: int = 200):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.layers = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens: torch.Tensor, enc: Dict[str, torch.Tensor], pad_id: int) -> torch.Tensor:
        u = tokens.size(1)
        y = self.embed(tokens) + self.pos(torch.arange(u, device=tokens.device))
        causal = torch.triu(torch.ones(u, u, dtype=torch.bool, device=tokens.device), diagonal=1)
        y = self.layers(  # expect: ML502
            y,
            enc["memory"],
            tgt_mask=causal,
            tgt_key_padding_mask=tokens.eq(pad_id),
        )
        return self.out(y)
