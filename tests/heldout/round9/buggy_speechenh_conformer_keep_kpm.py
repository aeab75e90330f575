"""Speech enhancement: Conformer-style T-F mask estimator with self-attention over STFT frames.

Utterances in a batch have different lengths; frames beyond the length are zero-padded.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class EnhConfig:
    n_freq: int = 33
    d_model: int = 32
    n_heads: int = 4
    n_blocks: int = 2


def frames_valid(lengths: torch.Tensor, n_frames: int) -> torch.Tensor:
    """True where the frame holds real audio."""
    return torch.arange(n_frames, device=lengths.device)[None, :] < lengths[:, None]


class FrameAttention(nn.Module):
    def __init__(self, cfg: EnhConfig):
        super().__init__()
        self.norm = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, batch_first=True)

    def forward(self, x, frame_mask):
        h = self.norm(x)
        out, _ = self.attn(h, h, h, key_padding_mask=frame_mask)
        return x + out


class ConvModule(nn.Module):
    def __init__(self, cfg: EnhConfig):
        super().__init__()
        self.dw = nn.Conv1d(cfg.d_model, cfg.d_model, 5, padding=2, groups=cfg.d_model)

    def forward(self, x):
        return x + self.dw(x.transpose(1, 2)).transpose(1, 2)


class ConformerBlock(nn.Module):
    def __init__(self, cfg: EnhConfig):
        super().__init__()
        self.mhsa = FrameAttention(cfg)
        self.conv = ConvModule(cfg)

    def forward(self, x, frame_mask):
        return self.conv(self.mhsa(x, frame_mask))


class MaskEstimator(nn.Module):
    def __init__(self, cfg: EnhConfig):
        super().__init__()
        self.inp = nn.Linear(cfg.n_freq, cfg.d_model)
        self.blocks = nn.ModuleList(ConformerBlock(cfg) for _ in range(cfg.n_blocks))
        self.out = nn.Linear(cfg.d_model, cfg.n_freq)

    def forward(self, noisy_mag, lengths):
        x = self.inp(torch.log1p(noisy_mag))
        valid = frames_valid(lengths, noisy_mag.size(1))
        for blk in self.blocks:
            x = blk(x, valid)  # expect: ML101
        return torch.sigmoid(self.out(x)) * noisy_mag


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = EnhConfig()
    model = MaskEstimator(cfg).train()
    mag = torch.rand(2, 20, cfg.n_freq)
    lengths = torch.tensor([20, 12])
    mag[1, 12:] = 0.0
    enhanced = model(mag, lengths)
    if torch.isnan(enhanced[0]).any():
        print("FAILURE SHOWN: the full-length utterance is fully masked -> NaN output")
    else:
        mag2 = mag.clone()
        mag2[1, 12:] = 5.0
        diff = (model(mag2, lengths)[1, :12] - enhanced[1, :12]).abs().max()
        print(f"FAILURE SHOWN: real frames depend on padded frames (max diff {diff:.3g})")
