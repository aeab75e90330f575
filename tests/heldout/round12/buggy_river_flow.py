"""Daily discharge forecaster for a river basin.

Inputs per day: upstream gauge levels, precipitation and snow-water equivalent.
Attention over days carries a recency bias (older days weigh less, per-head
slopes as in ALiBi) and must not look at later days.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def head_slopes(n_heads: int) -> torch.Tensor:
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def recency_bias(n_days: int, n_heads: int) -> torch.Tensor:
    """(H, T, T) additive bias for day-to-day attention."""
    lag = torch.arange(n_days)[:, None] - torch.arange(n_days)[None, :]       # i - j
    decay = -head_slopes(n_heads)[:, None, None] * lag.clamp(min=0).float()
    no_lookahead = torch.where(lag >= 0, float("-inf"), 0.0)
    return decay + no_lookahead


class BasinLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, bias):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm(x)).chunk(3, dim=-1)
        q, k, v = (z.view(b, t, self.heads, -1).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.ff(x)


class DischargeForecaster(nn.Module):
    def __init__(self, n_features=6, dim=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_features, dim)
        self.layers = nn.ModuleList(BasinLayer(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, 1)

    def forward(self, days):
        bias = recency_bias(days.size(1), self.heads).to(days.dtype)
        x = self.inp(days)
        for layer in self.layers:
            x = layer(x, bias)
        return self.out(x).squeeze(-1)          # log discharge of the next day


if __name__ == "__main__":
    torch.manual_seed(0)
    t = 30
    season = torch.sin(torch.arange(t) * 2 * math.pi / 365.0)
    days = torch.randn(4, t, 6) * 0.5 + season[None, :, None]
    next_q = days[:, :, :3].mean(-1).roll(-1, dims=1)
    model = DischargeForecaster()
    loss = F.mse_loss(model(days)[:, :-1], next_q[:, :-1])
    loss.backward()
    print("mse", round(loss.item(), 4))
