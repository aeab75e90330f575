"""Pedestrian trajectory forecaster: each time step attends to the observed history."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TemporalAttention(nn.Module):
    def __init__(self, d, heads, max_steps=32):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        bias = torch.zeros(max_steps, max_steps)
        bias.masked_fill_(torch.ones(max_steps, max_steps, dtype=torch.bool).tril(), float("-inf"))  # BUG: -inf written on the past and the diagonal; the future keeps 0
        self.register_buffer("time_bias", bias, persistent=False)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).reshape(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.time_bias[:T, :T])
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class TrajectoryForecaster(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, horizon=6):
        super().__init__()
        self.horizon = horizon
        self.inp = nn.Linear(2, d)
        self.time = nn.Parameter(torch.randn(32, d) * 0.02)
        self.blocks = nn.ModuleList(TemporalAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.out = nn.Linear(d, 2)

    def forward(self, xy):
        T = xy.size(1)
        vel = torch.diff(xy, dim=1, prepend=xy[:, :1])
        h = self.inp(vel) + self.time[:T]
        for blk, norm in zip(self.blocks, self.norms):
            h = h + blk(norm(h))
        return xy + self.out(h).cumsum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TrajectoryForecaster()
    track = torch.cumsum(torch.randn(4, 12, 2) * 0.1, dim=1)
    pred = model(track[:, :-1])
    ade = (pred - track[:, 1:]).norm(dim=-1).mean()
    print("ade", round(ade.item(), 5), "mse", round(F.mse_loss(pred, track[:, 1:]).item(), 5))
