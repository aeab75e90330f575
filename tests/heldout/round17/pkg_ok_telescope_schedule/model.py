import torch
import torch.nn as nn

from .attention import TargetAttention
from .utils import airmass, candidate_mask


class QueueScorer(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, n_instruments=6):
        super().__init__()
        self.features = nn.Linear(6, dim)
        self.instrument = nn.Embedding(n_instruments, dim)
        self.attn = nn.ModuleList(TargetAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.score = nn.Linear(dim, 1)

    def forward(self, ra_deg, dec_deg, mag, priority, alt_deg, instrument, lengths):
        ra = torch.deg2rad(ra_deg)
        feats = torch.stack([ra.sin(), ra.cos(), dec_deg / 90.0, mag / 20.0, priority,
                             airmass(alt_deg)], -1)
        x = self.features(feats) + self.instrument(instrument)
        real = candidate_mask(lengths, x.size(1))
        attn_kwargs = {"attn_mask": real[:, None, None, :]}
        for attn, norm in zip(self.attn, self.norms):
            x = x + attn(norm(x), **attn_kwargs)
        return self.score(x).squeeze(-1).masked_fill(~real, float("-inf"))
