"""Handwriting stroke generator with a mixture-density output (Graves-style targets, a
Transformer body). Pen trajectories are kept time-major, (T, B, 3) = (dx, dy, pen_up)."""
from __future__ import annotations

import math
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn


class MixtureDensityHead(nn.Module):
    def __init__(self, dim: int, n_mix: int = 5):
        super().__init__()
        self.n_mix = n_mix
        self.proj = nn.Linear(dim, 6 * n_mix + 1)

    def forward(self, h: torch.Tensor):
        out = self.proj(h)
        pi, mu_x, mu_y, log_sx, log_sy, rho = out[..., :-1].split(self.n_mix, dim=-1)
        return pi.log_softmax(-1), mu_x, mu_y, log_sx, log_sy, torch.tanh(rho), out[..., -1]

    def nll(self, params, target: torch.Tensor) -> torch.Tensor:
        log_pi, mu_x, mu_y, log_sx, log_sy, rho, pen_logit = params
        dx, dy, pen = target[..., :1], target[..., 1:2], target[..., 2]
        zx, zy = (dx - mu_x) / log_sx.exp(), (dy - mu_y) / log_sy.exp()
        z = zx ** 2 + zy ** 2 - 2 * rho * zx * zy
        log_n = -z / (2 * (1 - rho ** 2)) - log_sx - log_sy - 0.5 * torch.log(1 - rho ** 2) - math.log(2 * math.pi)
        offsets = -torch.logsumexp(log_pi + log_n, dim=-1)
        return offsets.mean() + F.binary_cross_entropy_with_logits(pen_logit, pen)


class StrokeTransformer(nn.Module):
    def __init__(self, dim: int = 64, heads: int = 4, layers: int = 3, max_len: int = 400):
        super().__init__()
        self.inp = nn.Linear(3, dim)
        self.pos = nn.Parameter(torch.randn(max_len, 1, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.1)  # time-major (batch_first=False)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.mdn = MixtureDensityHead(dim)

    @staticmethod
    def future_mask(steps: int, device=None) -> torch.Tensor:
        return torch.triu(torch.ones(steps, steps, dtype=torch.bool, device=device), diagonal=1)

    def forward(self, strokes: torch.Tensor):
        steps, batch = strokes.shape[:2]
        x = self.inp(strokes) + self.pos[:steps]
        h = self.body(x, mask=self.future_mask(strokes.size(0), strokes.device))
        return self.mdn(h)

    def loss(self, strokes: torch.Tensor) -> torch.Tensor:
        start = torch.zeros_like(strokes[:1])
        params = self(torch.cat([start, strokes[:-1]], dim=0))
        return self.mdn.nll(params, strokes)


def fake_strokes(steps: int, batch: int) -> Tuple[torch.Tensor, torch.Tensor]:
    t = torch.linspace(0, 6 * math.pi, steps)[:, None]
    dx = torch.cos(t + torch.rand(1, batch)) * 0.5
    dy = torch.sin(2 * t) * 0.3 + 0.05 * torch.randn(steps, batch)
    pen = (torch.rand(steps, batch) < 0.05).float()
    return torch.stack([dx.expand(steps, batch), dy, pen], dim=-1), pen


if __name__ == "__main__":
    torch.manual_seed(0)
    strokes, _ = fake_strokes(60, 4)
    model = StrokeTransformer()
    loss = model.loss(strokes)
    loss.backward()
    print("stroke nll", round(loss.item(), 4))
