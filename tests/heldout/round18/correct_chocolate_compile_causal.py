"""Temper-curve model for a chocolate tempering machine.

The machine logs chocolate temperature, bowl heater duty, cooling coil duty and
agitator speed every second. The model predicts the next second's temperature
so the controller can anticipate overshoot while passing the crystallisation
point. ``compile=True`` in the config wraps the model with torch.compile on the
production box.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class TemperConfig:
    channels: int = 4
    d_model: int = 48
    n_heads: int = 4
    n_layers: int = 2
    max_seconds: int = 1200
    compile: bool = False


class CausalBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class TemperCurveModel(nn.Module):
    def __init__(self, cfg: TemperConfig):
        super().__init__()
        self.inp = nn.Linear(cfg.channels, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_seconds, cfg.d_model)
        self.blocks = nn.ModuleList(CausalBlock(cfg.d_model, cfg.n_heads) for _ in range(cfg.n_layers))
        self.out = nn.Linear(cfg.d_model, 1)

    def forward(self, log):
        x = self.inp(log) + self.pos(torch.arange(log.size(1), device=log.device))
        for blk in self.blocks:
            x = blk(x)
        return self.out(x).squeeze(-1)


def build(cfg: TemperConfig):
    model = TemperCurveModel(cfg)
    return torch.compile(model) if cfg.compile else model


def training_step(model, batch, opt):
    pred = model(batch[:, :-1])
    loss = F.mse_loss(pred, batch[:, 1:, 0])
    opt.zero_grad()
    loss.backward()
    opt.step()
    return {"loss": loss.detach()}


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = TemperConfig()
    model = build(cfg)
    opt = torch.optim.AdamW(model.parameters(), 3e-4)
    print(training_step(model, torch.randn(3, 120, cfg.channels), opt))
