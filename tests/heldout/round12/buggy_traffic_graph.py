"""Spatial attention over loop-detector sensors for 15-minute speed forecasts.

Sensors attend only to sensors within `hops` on the road graph; road closures
differ per sample (per time slice), so the mask is per sample and has to be
stacked per head for nn.MultiheadAttention (seq-first layout here).
"""
import torch
import torch.nn.functional as F
from torch import nn


def reachability(adj: torch.Tensor, hops: int) -> torch.Tensor:
    """adj (B, V, V) bool -> (B, V, V) bool reachable within `hops` (self included)."""
    eye = torch.eye(adj.size(-1), dtype=torch.bool).expand_as(adj)
    reach = eye | adj
    step = adj.float()
    for _ in range(hops - 1):
        step = (step @ adj.float()).clamp(max=1)
        reach = reach | step.bool()
    return reach


class SpatialBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(dim, heads)          # (V, B, E)
        self.norm = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, x, blocked):
        b, v, _ = blocked.shape
        stacked = blocked.unsqueeze(0).expand(self.heads, b, v, v).reshape(self.heads * b, v, v)
        h, _ = self.mha(x, x, x, attn_mask=stacked, need_weights=False)  # expect: ML302
        x = self.norm(x + h)
        return x + self.ff(x)


class SpeedForecaster(nn.Module):
    def __init__(self, lags=12, dim=32, heads=4, depth=2, hops=2):
        super().__init__()
        self.hops = hops
        self.temporal = nn.Linear(lags, dim)
        self.blocks = nn.ModuleList(SpatialBlock(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, 1)

    def forward(self, speeds, adj):
        """speeds (B, V, lags), adj (B, V, V) -> (B, V) next speed."""
        blocked = ~reachability(adj, self.hops)
        x = self.temporal(speeds).transpose(0, 1)             # (V, B, E)
        for blk in self.blocks:
            x = blk(x, blocked)
        return self.out(x).squeeze(-1).transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    v = 8
    road = torch.zeros(v, v, dtype=torch.bool)
    idx = torch.arange(v - 1)
    road[idx, idx + 1] = road[idx + 1, idx] = True           # a corridor of 8 detectors
    adj = road.repeat(3, 1, 1)
    adj[1, 3, 4] = adj[1, 4, 3] = False                      # closure in sample 1
    adj[2, 5, 6] = adj[2, 6, 5] = False                      # closure in sample 2
    speeds = 60 + 10 * torch.randn(3, v, 12)
    model = SpeedForecaster()
    loss = F.mse_loss(model(speeds / 100, adj), speeds[..., -1] / 100)
    loss.backward()
    print("speed mse", round(loss.item(), 5))
