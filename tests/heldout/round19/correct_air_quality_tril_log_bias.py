"""Hourly PM2.5 / NO2 / O3 forecaster for an urban monitoring network."""
import torch
import torch.nn as nn

POLLUTANTS = ["pm25", "pm10", "no2", "o3", "so2"]


def causal_log_bias(n, device=None):
    # log(1) = 0 keeps a position, log(0) = -inf removes it
    return torch.ones(n, n, device=device).tril().log()


class Head(nn.Module):
    def __init__(self, d, dk):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * dk, bias=False)
        self.dk = dk

    def forward(self, x, bias):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        w = torch.softmax(q @ k.mT / self.dk ** 0.5 + bias, dim=-1)
        return w @ v


class AQForecaster(nn.Module):
    def __init__(self, n_met=5, d=48, heads=3):
        super().__init__()
        self.embed = nn.Linear(len(POLLUTANTS) + n_met, d)
        self.hour = nn.Embedding(24, d)
        self.heads = nn.ModuleList([Head(d, d // heads) for _ in range(heads)])
        self.proj = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.readout = nn.Linear(d, len(POLLUTANTS))

    def forward(self, conc, met, hour):
        x = self.embed(torch.cat([conc.clamp_min(0).sqrt(), met], dim=-1)) + self.hour(hour)
        bias = causal_log_bias(x.size(1), x.device)
        x = x + self.proj(torch.cat([h(self.norm(x), bias) for h in self.heads], dim=-1))
        return self.readout(x).square()


@torch.no_grad()
def roll_forward(model, conc, met, hour, horizon=6):
    model.eval()
    for step in range(horizon):
        nxt = model(conc, met[:, : conc.size(1)], hour[:, : conc.size(1)])[:, -1:]
        conc = torch.cat([conc, nxt], dim=1)
    return conc[:, -horizon:]


if __name__ == "__main__":
    T = 48
    conc = torch.rand(1, 24, 5) * 50
    met = torch.randn(1, T, 5)
    hour = (torch.arange(T) % 24)[None]
    print(roll_forward(AQForecaster(), conc, met, hour).shape)
