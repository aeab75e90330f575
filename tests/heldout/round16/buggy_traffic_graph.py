"""Traffic-speed forecasting over a road-sensor graph.

Sensors attend to graph neighbours only; the adjacency differs per sample
because offline sensors are removed from the graph of that time window.
"""
import torch
import torch.nn as nn


def neighbour_block_mask(adj, online):
    # adj: (S, S) bool road graph, online: (B, S) bool
    allowed = adj[None] & online[:, None, :] & online[:, :, None]
    allowed = allowed | torch.eye(adj.size(0), dtype=torch.bool, device=adj.device)
    return ~allowed


class SpatialBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, block):
        y, _ = self.attn(x, x, x, attn_mask=block)  # expect: ML301
        return self.norm(x + y)


class TrafficForecaster(nn.Module):
    def __init__(self, n_steps=12, horizon=3, dim=32, heads=4):
        super().__init__()
        self.temporal = nn.GRU(1, dim, batch_first=True)
        self.spatial = SpatialBlock(dim, heads)
        self.head = nn.Linear(dim, horizon)

    def forward(self, speeds, adj, online):
        # speeds: (B, S, T)
        b, s, t = speeds.shape
        _, h = self.temporal(speeds.reshape(b * s, t, 1))
        x = h[-1].view(b, s, -1)
        x = self.spatial(x, neighbour_block_mask(adj, online))
        return self.head(x)
