"""Conv front-end + Transformer encoder + attentive statistics pooling."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .data import SpeechBatch


@dataclass
class SpeakerEncoderConfig:
    n_mels: int = 40
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    ffn_dim: int = 128
    embed_dim: int = 32
    dropout: float = 0.1


class AttentiveStatsPool(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.score = nn.Sequential(nn.Linear(dim, dim // 2), nn.Tanh(), nn.Linear(dim // 2, 1))

    def forward(self, h: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        w = self.score(h).squeeze(-1).masked_fill(~valid, float("-inf"))
        w = w.softmax(dim=-1).unsqueeze(-1)
        mu = (w * h).sum(dim=1)
        var = (w * (h - mu.unsqueeze(1)) ** 2).sum(dim=1)
        return torch.cat([mu, var.clamp_min(1e-6).sqrt()], dim=-1)


class SpeakerEncoder(nn.Module):
    def __init__(self, cfg: SpeakerEncoderConfig = SpeakerEncoderConfig()):
        super().__init__()
        self.cfg = cfg
        self.frontend = nn.Sequential(
            nn.Conv1d(cfg.n_mels, cfg.d_model, kernel_size=5, padding=2),
            nn.GELU(),
            nn.Conv1d(cfg.d_model, cfg.d_model, kernel_size=3, padding=1),
        )
        layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.n_heads, cfg.ffn_dim, cfg.dropout, batch_first=True, norm_first=True
        )
        self.transformer = nn.TransformerEncoder(layer, cfg.n_layers, enable_nested_tensor=False)
        self.pool = AttentiveStatsPool(cfg.d_model)
        self.embed = nn.Linear(2 * cfg.d_model, cfg.embed_dim)

    def forward(self, batch: SpeechBatch) -> torch.Tensor:
        h = self.frontend(batch.feats.transpose(1, 2)).transpose(1, 2)
        h = self.transformer(h, src_key_padding_mask=batch.frame_valid)  # expect: ML101
        return nn.functional.normalize(self.embed(self.pool(h, batch.frame_valid)), dim=-1)
