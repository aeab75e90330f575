"""Hive health classifier over variable-length sensor logs.

Each hive reports (temperature, humidity, weight, acoustic energy) every
15 minutes; inspections cut logs at different lengths, so batches are padded
at the end and carry a ``lengths`` vector.
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class HiveConfig:
    n_features: int = 4
    d_model: int = 32
    n_heads: int = 4
    n_layers: int = 2
    n_classes: int = 3  # healthy / queenless / swarming


class LengthMaskMixin:
    """Shared helpers for models that receive padded batches plus lengths."""

    @staticmethod
    def length_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
        steps = torch.arange(max_len, device=lengths.device)
        return steps[None, :] < lengths[:, None]

    @staticmethod
    def masked_mean(x: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        w = valid.unsqueeze(-1).to(x.dtype)
        return (x * w).sum(1) / w.sum(1).clamp(min=1.0)


class HiveStateClassifier(LengthMaskMixin, nn.Module):
    def __init__(self, cfg: HiveConfig):
        super().__init__()
        self.cfg = cfg
        self.inp = nn.Linear(cfg.n_features, cfg.d_model)
        self.pos = nn.Parameter(torch.zeros(1, 512, cfg.d_model))
        layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.n_heads, dim_feedforward=4 * cfg.d_model,
            dropout=0.1, batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, cfg.n_layers, enable_nested_tensor=False)
        self.head = nn.Linear(cfg.d_model, cfg.n_classes)

    def forward(self, readings: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        T = readings.size(1)
        h = self.inp(readings) + self.pos[:, :T]
        valid = self.length_mask(lengths, T)
        h = self.encoder(h, src_key_padding_mask=valid)  # BUG: valid-step mask (True = reading) used as padding mask
        return self.head(self.masked_mean(h, valid))


def training_step(model, batch, optimizer):
    model.train()
    logits = model(batch["readings"], batch["lengths"])
    loss = nn.functional.cross_entropy(logits, batch["label"])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.detach()


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = HiveConfig()
    model = HiveStateClassifier(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = {
        "readings": torch.randn(4, 20, cfg.n_features),
        "lengths": torch.tensor([20, 17, 9, 14]),
        "label": torch.tensor([0, 1, 2, 0]),
    }
    print("loss", float(training_step(model, batch, opt)))
