"""Autoregressive model of ICU vital signs sampled at irregular, partly missing hours."""
import torch
from torch import nn

NEG = float("-inf")


def additive_causal(n, device=None):
    return torch.zeros(n, n, device=device).masked_fill(
        torch.ones(n, n, dtype=torch.bool, device=device).triu(1), NEG)


def additive_missing(missing):
    return torch.zeros(missing.shape, device=missing.device).masked_fill(missing, NEG)


class VitalsForecaster(nn.Module):
    def __init__(self, n_vitals=7, dim=48, heads=4):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(2 * n_vitals, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
        self.out = nn.Linear(dim, n_vitals)

    def forward(self, vitals, missing_hour):
        n = vitals.size(1)
        observed = torch.nan_to_num(vitals)
        x = self.inp(torch.cat([observed, torch.isnan(vitals).float()], dim=-1))
        bias = torch.minimum(additive_causal(n, x.device)[None], additive_missing(missing_hour)[:, None, :])
        eye = torch.eye(n, dtype=torch.bool, device=x.device)
        bias = bias.masked_fill(eye, 0.0)
        bias = bias.repeat_interleave(self.heads, dim=0)
        h, _ = self.attn(x, x, x, attn_mask=bias)
        x = x + h
        return self.out(x + self.ff(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    vitals = torch.randn(3, 24, 7)
    missing_hour = torch.rand(3, 24) < 0.2
    vitals[missing_hour] = float("nan")
    model = VitalsForecaster()
    pred = model(vitals[:, :-1], missing_hour[:, :-1])
    target = torch.nan_to_num(vitals[:, 1:])
    print(nn.functional.mse_loss(pred, target).item())
