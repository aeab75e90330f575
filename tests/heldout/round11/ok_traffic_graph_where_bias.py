"""Traffic-speed forecasting: spatial attention restricted to the road graph."""
import torch
import torch.nn as nn


class RoadGraphAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, h, connected):
        B, T, N, D = h.shape
        q, k, v = self.qkv(h).view(B, T, N, 3, self.heads, -1).unbind(3)
        logits = torch.einsum("btihd,btjhd->bthij", q, k) * self.scale
        bias = torch.where(connected, 0.0, float("-inf"))
        weights = (logits + bias).softmax(-1)
        return self.out(torch.einsum("bthij,btjhd->btihd", weights, v).reshape(B, T, N, D))


class SpeedForecaster(nn.Module):
    def __init__(self, dim=32, horizon=3):
        super().__init__()
        self.inp = nn.Linear(2, dim)
        self.spatial = RoadGraphAttention(dim)
        self.temporal = nn.GRU(dim, dim, batch_first=True)
        self.head = nn.Linear(dim, horizon)

    def forward(self, speeds, connected):
        h = self.inp(speeds)
        h = h + self.spatial(h, connected)
        B, T, N, D = h.shape
        out, _ = self.temporal(h.permute(0, 2, 1, 3).reshape(B * N, T, D))
        return self.head(out[:, -1]).view(B, N, -1)


def road_adjacency(n_sensors, k=2):
    idx = torch.arange(n_sensors)
    return (idx[:, None] - idx[None, :]).abs() <= k


if __name__ == "__main__":
    adj = road_adjacency(20)
    speeds = torch.randn(4, 12, 20, 2)
    print(SpeedForecaster()(speeds, adj).shape)
