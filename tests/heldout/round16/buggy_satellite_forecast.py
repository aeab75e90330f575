"""Vegetation-index forecasting from Sentinel-2 pixel time series.

Input is (batch, time, bands); each step predicts the next NDVI value.
"""
import torch
import torch.nn as nn


class NDVIForecaster(nn.Module):
    def __init__(self, bands=10, dim=64, heads=4, layers=3, max_len=128):
        super().__init__()
        self.inp = nn.Linear(bands + 2, dim)  # bands + sin/cos day-of-year
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(dim, 1)

    def forward(self, x, doy):
        angle = 2 * torch.pi * doy / 365.25
        feats = torch.cat([x, angle.sin().unsqueeze(-1), angle.cos().unsqueeze(-1)], dim=-1)
        h = self.inp(feats) + self.pos[: x.size(1)]
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(0), device=x.device)
        h = self.encoder(h, mask=causal, is_causal=True)  # expect: ML303
        return self.head(h).squeeze(-1)


def training_step(model, batch, optimizer):
    x, doy, ndvi = batch
    pred = model(x[:, :-1], doy[:, :-1])
    loss = nn.functional.mse_loss(pred, ndvi[:, 1:])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
