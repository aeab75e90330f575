"""Autoregressive motion forecasting: a Transformer decoder emits future waypoints of an agent
one step at a time, cross-attending to encoded lane polylines (a fixed number per scene)."""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class ForecastConfig:
    d_model: int = 64
    nhead: int = 4
    dec_layers: int = 2
    n_lanes: int = 8
    lane_points: int = 10
    horizon: int = 12
    history: int = 5


class PolylineEncoder(nn.Module):
    """PointNet-style: per-point MLP, max-pool over the points of each lane."""

    def __init__(self, d_model: int):
        super().__init__()
        self.point_mlp = nn.Sequential(nn.Linear(4, d_model), nn.ReLU(), nn.Linear(d_model, d_model))

    def forward(self, lanes: torch.Tensor) -> torch.Tensor:  # (B, n_lanes, P, 2)
        seg = torch.cat([lanes[:, :, :-1], lanes[:, :, 1:] - lanes[:, :, :-1]], dim=-1)
        return self.point_mlp(seg).amax(dim=2)


class WaypointDecoder(nn.Module):
    def __init__(self, cfg: ForecastConfig = ForecastConfig()):
        super().__init__()
        self.cfg = cfg
        self.lanes = PolylineEncoder(cfg.d_model)
        self.step_in = nn.Linear(2, cfg.d_model)
        self.step_pos = nn.Parameter(torch.randn(cfg.history + cfg.horizon, cfg.d_model) * 0.02)
        layer = nn.TransformerDecoderLayer(cfg.d_model, cfg.nhead, 2 * cfg.d_model, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, cfg.dec_layers)
        self.to_delta = nn.Linear(cfg.d_model, 2)

    def forward(self, track: torch.Tensor, lanes: torch.Tensor) -> torch.Tensor:
        """track: (B, T, 2) positions so far; returns the predicted next displacement per step."""
        memory = self.lanes(lanes)
        steps = self.step_in(track) + self.step_pos[: track.size(1)]
        h = self.decoder(steps, memory)  # expect: ML401
        return self.to_delta(h)

    def teacher_forced_loss(self, history: torch.Tensor, future: torch.Tensor, lanes: torch.Tensor):
        full = torch.cat([history, future], dim=1)
        pred = self(full[:, :-1], lanes)[:, history.size(1) - 1:]
        return F.smooth_l1_loss(pred, full[:, history.size(1):] - full[:, history.size(1) - 1:-1])

    @torch.no_grad()
    def rollout(self, history: torch.Tensor, lanes: torch.Tensor) -> torch.Tensor:
        track = history
        for _ in range(self.cfg.horizon):
            delta = self(track, lanes)[:, -1:]
            track = torch.cat([track, track[:, -1:] + delta], dim=1)
        return track[:, history.size(1):]


def synthetic_scene(batch: int, cfg: ForecastConfig):
    t = torch.linspace(0, 1, cfg.history + cfg.horizon)
    heading = torch.rand(batch, 1) * 6.28
    speed = 5 + 10 * torch.rand(batch, 1)
    path = torch.stack([speed * t * heading.cos(), speed * t * heading.sin()], dim=-1)
    lanes = torch.randn(batch, cfg.n_lanes, cfg.lane_points, 2).cumsum(2)
    return path[:, : cfg.history], path[:, cfg.history:], lanes


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = ForecastConfig()
    model = WaypointDecoder(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    hist, fut, lanes = synthetic_scene(8, cfg)
    for it in range(3):
        loss = model.teacher_forced_loss(hist, fut, lanes)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    ade = (model.rollout(hist, lanes) - fut).norm(dim=-1).mean()
    print(f"train loss {loss.item():.4f}  ADE {ade.item():.3f} m")
