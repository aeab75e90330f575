"""Next-second bean-temperature model for a drum roaster.

Each roast log is a sequence of 1 Hz samples: bean temp, environment temp,
burner %, drum speed, airflow. The model is trained to predict sample t+1 from
samples <= t and is later rolled out to suggest burner changes before first crack.
"""
import math
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class RoastModelConfig:
    n_channels: int = 5
    d_model: int = 48
    nhead: int = 4
    num_layers: int = 3
    max_seconds: int = 900
    lr: float = 3e-4
    betas: tuple = field(default=(0.9, 0.95))


class SinusoidalTime(nn.Module):
    def __init__(self, d_model, max_len):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class RoastCurveGPT(nn.Module):
    def __init__(self, cfg: RoastModelConfig):
        super().__init__()
        self.cfg = cfg
        self.inp = nn.Linear(cfg.n_channels, cfg.d_model)
        self.time = SinusoidalTime(cfg.d_model, cfg.max_seconds)
        block = nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, 4 * cfg.d_model, dropout=0.1,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(block, cfg.num_layers)
        self.head = nn.Linear(cfg.d_model, cfg.n_channels)

    def forward(self, samples):
        h = self.time(self.inp(samples))
        h = self.blocks(h)  # BUG: next-sample predictor runs self-attention with no causal mask
        return self.head(h)


class RoastTask:
    """Minimal Lightning-style wrapper used by the roastery's trainer script."""

    def __init__(self, cfg: RoastModelConfig):
        self.cfg = cfg
        self.model = RoastCurveGPT(cfg)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.model.parameters(), lr=self.cfg.lr, betas=self.cfg.betas)

    def training_step(self, batch, batch_idx):
        x = batch["samples"]
        pred = self.model(x[:, :-1])
        loss = nn.functional.smooth_l1_loss(pred, x[:, 1:])
        return {"loss": loss, "log": {"train/huber": loss.detach()}}

    @torch.no_grad()
    def rollout(self, prefix, seconds):
        self.model.eval()
        seq = prefix
        for _ in range(seconds):
            nxt = self.model(seq)[:, -1:]
            seq = torch.cat([seq, nxt], dim=1)
        return seq[:, prefix.size(1):]


def fit(task, loader, epochs=1):
    opt = task.configure_optimizers()
    for _ in range(epochs):
        for i, batch in enumerate(loader):
            task.model.train()
            out = task.training_step(batch, i)
            opt.zero_grad()
            out["loss"].backward()
            opt.step()
    return out["log"]


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = RoastModelConfig()
    task = RoastTask(cfg)
    loader = [{"samples": torch.randn(4, 60, cfg.n_channels)} for _ in range(2)]
    print(fit(task, loader))
    print(task.rollout(torch.randn(1, 30, cfg.n_channels), 3).shape)
