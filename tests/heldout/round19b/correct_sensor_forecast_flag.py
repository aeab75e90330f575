"""Sensor forecaster: one-step-ahead teacher forcing, autoregressive rollout."""
from dataclasses import dataclass

import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, n_features: int, d_model: int = 64, nhead: int = 4, layers: int = 2,
                 max_len: int = 512, mask_future: bool = False):
        super().__init__()
        self.mask_future = mask_future
        self.inp = nn.Linear(n_features, d_model)
        self.pos = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, n_features)

    def forward(self, x):
        T = x.size(1)
        h = self.inp(x) + self.pos[:, :T]
        mask = None
        if self.mask_future:
            mask = nn.Transformer.generate_square_subsequent_mask(T, device=x.device)
        h = self.encoder(h, mask=mask)
        return self.out(h)


@dataclass
class TrainConfig:
    window: int = 48
    batch_size: int = 16
    lr: float = 1e-3
    steps: int = 200


def sliding_windows(series: torch.Tensor, window: int) -> torch.Tensor:
    return series.unfold(0, window + 1, 1).permute(0, 2, 1)  # (N, window+1, F)


def train_forecaster(series: torch.Tensor, cfg: TrainConfig = TrainConfig()) -> Forecaster:
    n_features = series.size(-1)
    model = Forecaster(n_features, d_model=64, mask_future=True)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
    windows = sliding_windows(series, cfg.window)
    model.train()
    for step in range(cfg.steps):
        idx = torch.randint(0, windows.size(0), (cfg.batch_size,))
        w = windows[idx]
        pred = model(w[:, :-1])
        loss = nn.functional.mse_loss(pred, w[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@torch.no_grad()
def rollout(model: Forecaster, context: torch.Tensor, horizon: int) -> torch.Tensor:
    model.eval()
    seq = context
    for _ in range(horizon):
        nxt = model(seq)[:, -1:]
        seq = torch.cat([seq, nxt], dim=1)
    return seq[:, context.size(1):]
