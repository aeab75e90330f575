# EXPECT: bug
"""Autoregressive load forecaster (seq-first layout) with nn.MultiheadAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def lookahead_mask(size: int) -> torch.Tensor:
    # lower triangle: step t may use steps <= t
    return torch.tril(torch.ones(size, size))


class LoadForecaster(nn.Module):
    def __init__(self, n_feat=3, d=24, heads=3, p=0.1):
        super().__init__()
        self.inp = nn.Linear(n_feat, d)
        self.pos = nn.Embedding(32, d)
        self.mha = nn.MultiheadAttention(d, heads, dropout=p)  # batch_first=False
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.out = nn.Linear(d, 1)

    def forward(self, series):  # series: (T, N, n_feat)
        T = series.size(0)
        h = self.inp(series) + self.pos(torch.arange(T)).unsqueeze(1)
        a, _ = self.mha(h, h, h, attn_mask=lookahead_mask(T))  # BUG-SITE
        h = self.n1(h + a)
        h = self.n2(h + self.ff(h))
        return self.out(h).squeeze(-1)  # prediction of the next step's load


def run():
    torch.manual_seed(0)
    model = LoadForecaster()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    series = torch.randn(9, 4, 3).cumsum(0)
    x, target = series[:-1], series[1:, :, 0]

    model.train()
    loss = F.mse_loss(model(x), target)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        pred = model(x)
    return [loss.detach(), pred]
