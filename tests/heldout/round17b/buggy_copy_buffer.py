"""Autoregressive forecaster for daily log-returns of a basket of equities."""
import torch
import torch.nn.functional as F
from torch import nn


class ReturnDecoder(nn.Module):
    def __init__(self, n_assets=8, dim=32, heads=4, horizon=64):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_assets, dim)
        self.pos = nn.Parameter(torch.zeros(horizon, dim))
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, n_assets)
        self.register_buffer("visible", torch.empty(horizon, horizon), persistent=False)
        self.visible.copy_(torch.tril(torch.ones(horizon, horizon)))

    def forward(self, returns):
        b, t, _ = returns.shape
        x = self.inp(returns) + self.pos[:t]
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.visible[:t, :t])  # expect: ML202
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, -1))
        return self.out(x)


def fit(model, series, epochs=3, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr)
    for _ in range(epochs):
        pred = model(series[:, :-1])
        loss = F.mse_loss(pred, series[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


@torch.no_grad()
def rollout(model, history, days):
    seq = history
    for _ in range(days):
        seq = torch.cat([seq, model(seq)[:, -1:]], dim=1)
    return seq[:, history.size(1):]


if __name__ == "__main__":
    torch.manual_seed(0)
    series = 0.01 * torch.randn(16, 40, 8)
    model = ReturnDecoder()
    print(fit(model, series))
    print(rollout(model, series[:2, :20], 5).shape)
