"""Nowcasting on a lat/lon grid: each token is a grid cell.

Cells only attend to neighbours within ``radius`` cells, and never to cells
whose observation is missing for that sample (sensor outages differ per sample).
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class GridConfig:
    height: int = 6
    width: int = 6
    channels: int = 5
    dim: int = 48
    heads: int = 4
    radius: float = 2.0


def cell_distance(height, width):
    ys, xs = torch.meshgrid(torch.arange(height), torch.arange(width), indexing="ij")
    coords = torch.stack([ys.flatten(), xs.flatten()], -1).float()
    return torch.cdist(coords, coords)


class GridMixer(nn.Module):
    def __init__(self, cfg: GridConfig):
        super().__init__()
        self.cfg = cfg
        self.heads = cfg.heads
        self.inp = nn.Linear(cfg.channels, cfg.dim)
        self.attn = nn.MultiheadAttention(cfg.dim, cfg.heads, batch_first=True)
        self.norm = nn.LayerNorm(cfg.dim)
        self.out = nn.Linear(cfg.dim, cfg.channels)
        far = cell_distance(cfg.height, cfg.width) > cfg.radius
        self.register_buffer("far", far, persistent=False)

    def forward(self, obs, missing):
        # obs: (B, H*W, C); missing: (B, H*W) True where the cell has no reading
        n = obs.shape[1]
        eye = torch.eye(n, dtype=torch.bool, device=obs.device)
        blocked = (self.far[None] | missing[:, None, :]) & ~eye
        attn_mask = blocked.repeat(self.heads, 1, 1)
        x = self.inp(obs)
        y, _ = self.attn(x, x, x, attn_mask=attn_mask)  # expect: ML302
        return self.out(self.norm(x + y))


if __name__ == "__main__":
    cfg = GridConfig()
    model = GridMixer(cfg)
    obs = torch.randn(3, cfg.height * cfg.width, cfg.channels)
    missing = torch.rand(3, cfg.height * cfg.width) < 0.2
    print(model(obs, missing).shape)
