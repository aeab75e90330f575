"""Feeder model: each PMU is a token (magnitude/angle of 3 phases + position)."""
import torch
from torch import nn

from .layers import Readout, UnitAttention


class FeederFaultLocator(nn.Module):
    def __init__(self, n_sections=12, dim=64, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(6, dim)
        self.where = nn.Linear(2, dim)
        self.attn = nn.ModuleList(UnitAttention(dim, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.readout = Readout(dim, n_sections)

    def forward(self, phasors, coords, offline):
        x = self.inp(phasors) + self.where(coords)
        for attn, norm in zip(self.attn, self.norm):
            x = x + attn(norm(x), offline)
        return self.readout(x, offline)


def synthetic_events(n=16, units=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    phasors = torch.randn(n, units, 6, generator=g)
    coords = torch.rand(n, units, 2, generator=g)
    offline = torch.rand(n, units, generator=g) < 0.2
    offline[:, 0] = False
    section = torch.randint(0, 12, (n,), generator=g)
    return phasors, coords, offline, section
