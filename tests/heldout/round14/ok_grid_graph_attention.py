"""Graph attention for power-grid state estimation on sampled sub-networks.

Each sample is a different sub-network (buses + lines), padded to the same bus count. A bus
attends only to buses it shares a line with (and itself)."""
from __future__ import annotations

from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import nn


def build_adjacency(n_bus: int, lines: List[Tuple[int, int]], width: int) -> torch.Tensor:
    adj = torch.zeros(width, width)
    for a, b in lines:
        adj[a, b] = adj[b, a] = 1.0
    adj[torch.arange(width), torch.arange(width)] = 1.0
    return adj


class LineMaskedAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, h: torch.Tensor, adjacency: torch.Tensor) -> torch.Tensor:
        connected = adjacency > 0
        no_line = ~connected
        mask = no_line.repeat_interleave(self.heads, dim=0)
        x = self.norm(h)
        h = h + self.attn(x, x, x, attn_mask=mask, need_weights=False)[0]
        return h + self.ff(h)


class GridStateEstimator(nn.Module):
    """Predicts voltage magnitude and angle per bus from noisy injections."""

    def __init__(self, in_dim: int = 4, dim: int = 64, heads: int = 4, depth: int = 3):
        super().__init__()
        self.inp = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList(LineMaskedAttention(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, 2)

    def forward(self, bus_feats: torch.Tensor, adjacency: torch.Tensor) -> torch.Tensor:
        h = self.inp(bus_feats)
        for layer in self.layers:
            h = layer(h, adjacency)
        return self.out(h)


def sample_subnetworks(specs, width: int):
    feats = torch.zeros(len(specs), width, 4)
    adjs, bus_mask = [], torch.zeros(len(specs), width, dtype=torch.bool)
    for i, (n_bus, lines) in enumerate(specs):
        feats[i, :n_bus] = torch.randn(n_bus, 4)
        bus_mask[i, :n_bus] = True
        adjs.append(build_adjacency(n_bus, lines, width))
    return feats, torch.stack(adjs), bus_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    specs = [(5, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]), (3, [(0, 1), (1, 2)]), (6, [(0, 1), (0, 2), (2, 3), (3, 4), (3, 5)])]
    feats, adj, bus_mask = sample_subnetworks(specs, width=6)
    target = torch.randn(3, 6, 2)
    model = GridStateEstimator()
    pred = model(feats, adj)
    loss = F.mse_loss(pred[bus_mask], target[bus_mask])
    loss.backward()
    print("state estimation mse", round(loss.item(), 4))
