"""Conformer-lite speech encoder: features + per-utterance lengths."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class EncoderConfig:
    n_mels: int = 40
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    dropout: float = 0.0


class SpeechEncoder(nn.Module):
    def __init__(self, cfg: EncoderConfig = EncoderConfig()):
        super().__init__()
        self.cfg = cfg
        self.proj = nn.Linear(cfg.n_mels, cfg.d_model)
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.n_heads, 4 * cfg.d_model, cfg.dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.n_layers, enable_nested_tensor=False)

    def forward(self, feats: torch.Tensor, feat_lens: torch.Tensor) -> torch.Tensor:
        # feats: (B, T, n_mels), feat_lens: (B,)
        max_len = feats.size(1)
        frame_ok = feat_lens.unsqueeze(1) > torch.arange(max_len, device=feats.device)
        h = self.proj(feats)
        return self.encoder(h, src_key_padding_mask=frame_ok)  # expect: ML101
