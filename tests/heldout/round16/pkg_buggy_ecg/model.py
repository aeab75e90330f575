"""Record-level arrhythmia classification from a sequence of segmented beats."""
import torch
from torch import nn

from .masks import extended_attention_mask


class BeatEmbed(nn.Module):
    def __init__(self, beat_len=90, dim=32):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, dim, 9, padding=4), nn.ReLU(), nn.AdaptiveMaxPool1d(1))

    def forward(self, beats):
        b, s, n = beats.shape
        return self.conv(beats.reshape(b * s, 1, n)).view(b, s, -1)


class BeatTransformer(nn.Module):
    def __init__(self, dim=32, heads=4, n_classes=5):
        super().__init__()
        self.embed = BeatEmbed(dim=dim)
        self.rr = nn.Linear(1, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, beats, rr_intervals, beat_mask):
        x = self.embed(beats) + self.rr(rr_intervals.unsqueeze(-1))
        ext = extended_attention_mask(beat_mask, x.dtype)
        y, _ = self.attn(x, x, x, attn_mask=ext)  # expect: ML301
        x = self.norm(x + y)
        w = beat_mask.unsqueeze(-1).to(x.dtype)
        return self.cls((x * w).sum(1) / w.sum(1))
