"""Precipitation nowcasting on grid cells; per-sample outage masks are
expanded per head before nn.MultiheadAttention."""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class Cfg:
    cells: int = 36
    channels: int = 5
    dim: int = 48
    heads: int = 4
    radius: float = 2.0
    side: int = 6


class CellMixer(nn.Module):
    def __init__(self, cfg: Cfg):
        super().__init__()
        self.cfg = cfg
        ys, xs = torch.meshgrid(torch.arange(cfg.side), torch.arange(cfg.side), indexing="ij")
        coords = torch.stack([ys.flatten(), xs.flatten()], -1).float()
        self.register_buffer("far", torch.cdist(coords, coords) > cfg.radius, persistent=False)
        self.inp = nn.Linear(cfg.channels, cfg.dim)
        self.mha = nn.MultiheadAttention(cfg.dim, cfg.heads, batch_first=True)
        self.out = nn.Linear(cfg.dim, cfg.channels)

    def forward(self, obs, missing):
        b, n, _ = obs.shape
        eye = torch.eye(n, dtype=torch.bool, device=obs.device)
        blocked = (self.far.unsqueeze(0) | missing.unsqueeze(1)) & ~eye
        blocked = blocked.unsqueeze(1).expand(b, self.cfg.heads, n, n).reshape(b * self.cfg.heads, n, n)
        x = self.inp(obs)
        y, _ = self.mha(x, x, x, attn_mask=blocked)
        return self.out(x + y)
