"""A batch_first forecaster whose input is the readings joined with calendar features on the
last axis; sized by time: correct."""
import torch
import torch.nn as nn


class LoadForecaster(nn.Module):
    def __init__(self, channels=6, dim=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(channels + 2, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(dim, 1)

    def forward(self, x, hour):
        angle = 2 * torch.pi * hour / 24
        feats = torch.cat([x, angle.sin().unsqueeze(-1), angle.cos().unsqueeze(-1)], dim=-1)
        h = self.inp(feats)
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(1))
        return self.head(self.encoder(h, mask=causal))
