"""Quarter-hourly electricity load forecaster (one step ahead, teacher forcing)."""
import torch
from torch import nn


class LoadForecaster(nn.Module):
    def __init__(self, n_covariates=5, dim=32, heads=4, layers=2, batch_first=True):
        super().__init__()
        self.batch_first = batch_first
        self.inp = nn.Linear(1 + n_covariates, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0,
                                           batch_first=self.batch_first)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(dim, 1)

    def forward(self, load, covariates):
        x = self.inp(torch.cat([load.unsqueeze(-1), covariates], dim=-1))
        mask = nn.Transformer.generate_square_subsequent_mask(x.size(0), device=x.device)  # expect: ML303
        h = self.body(x, mask=mask)
        return self.out(h).squeeze(-1)


def windows(series, covariates, length=96, stride=48):
    starts = range(0, series.size(0) - length, stride)
    load = torch.stack([series[s:s + length] for s in starts])
    cov = torch.stack([covariates[s:s + length] for s in starts])
    return load, cov


torch.manual_seed(0)
days = 7
t = torch.arange(days * 96, dtype=torch.float32)
series = torch.sin(2 * torch.pi * t / 96) + 0.1 * torch.randn_like(t)
covariates = torch.randn(t.numel(), 5)
load, cov = windows(series, covariates)
model = LoadForecaster(batch_first=True)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(3):
    pred = model(load[:, :-1], cov[:, :-1])
    loss = nn.functional.mse_loss(pred, load[:, 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
print(LoadForecaster(batch_first=True)(load[:4], cov[:4]).shape, loss.item())
