import torch
from torch import nn

from .vocab import N_CHORDS


class ProgressionNet(nn.Module):
    def __init__(self, width=64, heads=4, depth=2, span=128):
        super().__init__()
        self.chord = nn.Embedding(N_CHORDS + 2, width)
        self.where = nn.Parameter(torch.zeros(span, width))
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.mix = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width))
        self.to_chord = nn.Linear(width, N_CHORDS)

    def forward(self, chords, autoregressive=False):
        h = self.chord(chords) + self.where[: chords.size(1)]
        mask = None
        if autoregressive:
            mask = torch.ones(chords.size(1), chords.size(1), dtype=torch.bool, device=chords.device).triu(1)
        a, _ = self.attn(h, h, h, attn_mask=mask, need_weights=False)
        h = h + a
        return self.to_chord(h + self.mix(h))
