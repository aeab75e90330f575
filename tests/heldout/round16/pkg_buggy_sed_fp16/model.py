"""Sound event detection over log-mel clips of varying duration."""
import torch
from torch import nn

from .attention import FrameAttention
from .constants import N_EVENTS, N_MELS


class SoundEventDetector(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2):
        super().__init__()
        self.proj = nn.Linear(N_MELS, dim)
        self.attn = nn.ModuleList(FrameAttention(dim, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.frame_logits = nn.Linear(dim, N_EVENTS)

    def forward(self, mels, n_frames):
        pad = torch.arange(mels.size(1), device=mels.device)[None] >= n_frames[:, None]
        x = self.proj(mels)
        for norm, attn in zip(self.norm, self.attn):
            x = x + attn(norm(x), pad)
        return self.frame_logits(x)
