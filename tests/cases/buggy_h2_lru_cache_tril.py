"""Causal mask memoised with functools.lru_cache."""
import functools

import torch
import torch.nn as nn


@functools.lru_cache(maxsize=16)
def causal_mask(size: int, device: str = "cpu") -> torch.Tensor:
    return torch.tril(torch.ones(size, size, dtype=torch.bool, device=device))


class MusicDecoder(nn.Module):
    def __init__(self, n_tokens=388, d_model=256, nhead=8, layers=6):
        super().__init__()
        self.emb = nn.Embedding(n_tokens, d_model)
        self.layers = nn.ModuleList([nn.MultiheadAttention(d_model, nhead, batch_first=True) for _ in range(layers)])
        self.out = nn.Linear(d_model, n_tokens)

    def forward(self, tokens):
        x = self.emb(tokens)
        mask = causal_mask(tokens.size(1), str(tokens.device))
        for attn in self.layers:
            y, _ = attn(x, x, x, attn_mask=mask)  # expect: ML101
            x = x + y
        return self.out(x)
