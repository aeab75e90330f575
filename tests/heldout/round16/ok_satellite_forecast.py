"""Soil-moisture forecasting from satellite time series.

The temporal encoder is sequence-first (T, B, E) because it shares code with
an older LSTM baseline.
"""
import torch
import torch.nn as nn


class MoistureForecaster(nn.Module):
    def __init__(self, bands=8, dim=64, heads=4, layers=2, max_len=128):
        super().__init__()
        self.inp = nn.Linear(bands, dim)
        self.pos = nn.Parameter(torch.randn(max_len, 1, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(dim, 1)

    def forward(self, x):
        # x: (B, T, bands)
        h = self.inp(x).transpose(0, 1)
        h = h + self.pos[: h.size(0)]
        causal = nn.Transformer.generate_square_subsequent_mask(h.size(0), device=h.device)
        h = self.encoder(h, mask=causal, is_causal=True)
        return self.head(h).squeeze(-1).transpose(0, 1)


class PatchForecaster(MoistureForecaster):
    """Batch-first variant used for the tiled product."""

    def __init__(self, bands=8, dim=64, heads=4, layers=2):
        super().__init__(bands, dim, heads, layers)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)

    def forward(self, x):
        h = self.inp(x) + self.pos[: x.size(1), 0]
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(1), device=x.device)
        h = self.encoder(h, mask=causal, is_causal=True)
        return self.head(h).squeeze(-1)
