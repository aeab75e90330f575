"""Hourly precipitation nowcasting from a network of rain gauges.

Each station's history is a sequence of hourly readings; the forecast for hour
t may use readings up to t only.
"""
import torch
from torch import nn


class GaugeHistoryAttention(nn.Module):
    def __init__(self, n_features=6, dim=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(n_features, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.rain = nn.Linear(dim, 1)

    def forward(self, readings):
        hours = readings.size(1)
        x = self.inp(readings)
        causal = torch.triu(torch.ones(hours, hours, dtype=torch.bool, device=x.device), 1)
        h, _ = self.attn(x, x, x, causal)  # expect: ML501
        return nn.functional.softplus(self.rain(self.norm(x + h))).squeeze(-1)


def train(model, readings, rain_next_hour, steps=10):
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(readings), rain_next_hour)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    stations, hours = 24, 24
    readings = torch.randn(stations, hours, 6)
    target = torch.relu(torch.roll(readings[..., 0], -1, dims=1))
    model = GaugeHistoryAttention()
    print(train(model, readings, target))
