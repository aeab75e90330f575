"""Conformer-lite speech encoder: wav lengths -> frame masks -> attention blocks."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


# ----------------------------------------------------------------------------- mask utils
def frames_from_samples(wav_lengths: torch.Tensor, hop: int = 160) -> torch.Tensor:
    return torch.div(wav_lengths, hop, rounding_mode="floor") + 1


def lengths_to_mask(lengths: torch.Tensor, max_len: Optional[int] = None) -> torch.Tensor:
    """(B, T) mask, True on frames that carry audio."""
    max_len = int(lengths.max()) if max_len is None else max_len
    steps = torch.arange(max_len, device=lengths.device)
    return steps.unsqueeze(0) < lengths.unsqueeze(1)


# ----------------------------------------------------------------------------- layers
@dataclass
class EncoderConfig:
    n_mels: int = 80
    d_model: int = 144
    n_heads: int = 4
    n_layers: int = 2
    ff_mult: int = 4
    dropout: float = 0.1


class MHSABlock(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.norm = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, dropout=cfg.dropout, batch_first=True)
        hidden = cfg.ff_mult * cfg.d_model
        self.ff = nn.Sequential(
            nn.LayerNorm(cfg.d_model), nn.Linear(cfg.d_model, hidden), nn.SiLU(), nn.Linear(hidden, cfg.d_model)
        )

    def forward(self, x: torch.Tensor, **attn_kwargs) -> torch.Tensor:
        h = self.norm(x)
        h, _ = self.attn(h, h, h, need_weights=False, **attn_kwargs)
        x = x + h
        return x + 0.5 * self.ff(x)


# ----------------------------------------------------------------------------- model
class SpeechEncoder(nn.Module):
    def __init__(self, cfg: EncoderConfig):
        super().__init__()
        self.cfg = cfg
        self.proj = nn.Linear(cfg.n_mels, cfg.d_model)
        self.blocks = nn.ModuleList(MHSABlock(cfg) for _ in range(cfg.n_layers))
        self.out_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, feats: torch.Tensor, feat_lengths: torch.Tensor):
        x = self.proj(feats)
        valid = lengths_to_mask(feat_lengths, x.size(1))
        for blk in self.blocks:
            x = blk(x, key_padding_mask=valid)  # expect: ML101
        return self.out_norm(x), valid


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = EncoderConfig(dropout=0.0)
    enc = SpeechEncoder(cfg)
    wav_lengths = torch.tensor([16000, 9600])
    n_frames = frames_from_samples(wav_lengths)
    feats = torch.randn(2, int(n_frames.max()), cfg.n_mels)
    out, valid = enc(feats, n_frames)
    print(out.shape, valid.sum(1))
