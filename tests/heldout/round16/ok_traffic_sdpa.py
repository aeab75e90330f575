"""Bike-share demand forecasting over a station graph; per-sample station
availability yields a 4-D boolean keep mask for fused attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def station_keep_mask(adj, open_now):
    # adj: (S, S) bool, open_now: (B, S) bool -> (B, 1, S, S), True = may attend
    keep = adj[None] & open_now[:, None, :]
    keep = keep | torch.eye(adj.size(0), dtype=torch.bool, device=adj.device)
    return keep.unsqueeze(1)


class StationAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, keep):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return x + self.o(y.transpose(1, 2).reshape(b, s, d))


class DemandForecaster(nn.Module):
    def __init__(self, n_steps=12, horizon=4, dim=32, heads=4):
        super().__init__()
        self.temporal = nn.Conv1d(1, dim, n_steps)
        self.spatial = StationAttention(dim, heads)
        self.head = nn.Linear(dim, horizon)

    def forward(self, counts, adj, open_now):
        b, s, t = counts.shape
        x = self.temporal(counts.reshape(b * s, 1, t)).view(b, s, -1)
        x = self.spatial(x, station_keep_mask(adj, open_now))
        return self.head(x)
