"""Reconstruction model: anomalies are steps that reconstruct badly."""
import torch
from torch import nn

from .layers import ChannelMixer, DropoutAwareAttention


class TurbineAnomalyModel(nn.Module):
    def __init__(self, n_channels=16, dim=64, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(n_channels, dim)
        self.minute = nn.Embedding(1440, dim)
        self.attn = nn.ModuleList(DropoutAwareAttention(dim, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.mix = nn.ModuleList(ChannelMixer(dim, 2 * dim) for _ in range(depth))
        self.recon = nn.Linear(dim, n_channels)

    def forward(self, signals, minute_of_day, dropped):
        x = self.inp(signals) + self.minute(minute_of_day)
        for attn, norm, mix in zip(self.attn, self.norm, self.mix):
            x = mix(x + attn(norm(x), dropped))
        return self.recon(x)

    def anomaly_score(self, signals, minute_of_day, dropped):
        err = (self.forward(signals, minute_of_day, dropped) - signals).pow(2).mean(-1)
        return err.masked_fill(dropped, 0.0)


def synthetic_scada(n_turbines=8, steps=48, n_channels=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    base = torch.sin(torch.linspace(0, 12.0, steps))[None, :, None]
    signals = base + 0.1 * torch.randn(n_turbines, steps, n_channels, generator=g)
    minute = (torch.arange(steps) * 10 % 1440).expand(n_turbines, -1)
    dropped = torch.rand(n_turbines, steps, generator=g) < 0.1
    return signals, minute, dropped
