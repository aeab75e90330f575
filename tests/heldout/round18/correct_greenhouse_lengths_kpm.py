"""Vent-opening setpoint model for commercial greenhouses.

Climate computers log (inside temp, RH, CO2, PAR, outside temp, wind) every
five minutes. Episodes are cut at irrigation events, so they differ in length;
batches are padded at the end and come with ``lengths``.
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class GreenhouseConfig:
    n_features: int = 6
    d_model: int = 32
    n_heads: int = 4
    n_layers: int = 2
    vent_positions: int = 11  # 0%, 10%, ..., 100%


class PaddedBatchMixin:
    @staticmethod
    def padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
        """(B, T) bool, True on padded steps."""
        steps = torch.arange(max_len, device=lengths.device)
        return steps[None, :] >= lengths[:, None]

    @staticmethod
    def last_step(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return x[torch.arange(x.size(0), device=x.device), lengths - 1]


class VentSetpointModel(PaddedBatchMixin, nn.Module):
    def __init__(self, cfg: GreenhouseConfig):
        super().__init__()
        self.inp = nn.Linear(cfg.n_features, cfg.d_model)
        self.pos = nn.Parameter(torch.zeros(1, 288, cfg.d_model))
        layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.n_heads, 4 * cfg.d_model, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.n_layers)
        self.head = nn.Linear(cfg.d_model, cfg.vent_positions)

    def forward(self, climate, lengths):
        T = climate.size(1)
        h = self.inp(climate) + self.pos[:, :T]
        pad = self.padding_mask(lengths, T)
        h = self.encoder(h, src_key_padding_mask=pad)
        return self.head(self.last_step(h, lengths))


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = GreenhouseConfig()
    model = VentSetpointModel(cfg)
    climate = torch.randn(4, 30, cfg.n_features)
    lengths = torch.tensor([30, 12, 25, 7])
    logits = model(climate, lengths)
    nn.functional.cross_entropy(logits, torch.tensor([3, 0, 10, 5])).backward()
    model.eval()
    with torch.no_grad():
        print(model(climate, lengths).argmax(-1))
