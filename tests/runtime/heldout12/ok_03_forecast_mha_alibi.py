# EXPECT: ok
"""Autoregressive load forecaster with per-head ALiBi biases on nn.MultiheadAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_causal_bias(n_heads: int, size: int) -> torch.Tensor:
    """(H, T, T) additive float bias: -slope_h * distance on the past, -inf on the future."""
    slopes = torch.tensor([2.0 ** (-8.0 * (h + 1) / n_heads) for h in range(n_heads)])
    pos = torch.arange(size)
    dist = (pos[:, None] - pos[None, :]).float()
    bias = -slopes[:, None, None] * dist.clamp(min=0)
    return bias.masked_fill(dist < 0, float("-inf"))


class LoadForecaster(nn.Module):
    def __init__(self, n_feat=3, d=24, heads=4, p=0.1):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_feat, d)
        self.mha = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.out = nn.Linear(d, 1)

    def forward(self, series):  # (N, T, n_feat)
        N, T, _ = series.shape
        h = self.inp(series)
        bias = alibi_causal_bias(self.heads, T)
        attn_mask = bias.unsqueeze(0).expand(N, -1, -1, -1).reshape(N * self.heads, T, T)
        a, _ = self.mha(h, h, h, attn_mask=attn_mask)
        h = self.n1(h + a)
        h = self.n2(h + self.ff(h))
        return self.out(h).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = LoadForecaster()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    series = torch.randn(4, 9, 3).cumsum(1)
    x, target = series[:, :-1], series[:, 1:, 0]

    model.train()
    loss = F.mse_loss(model(x), target)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        pred = model(x)
    return [loss.detach(), pred]
