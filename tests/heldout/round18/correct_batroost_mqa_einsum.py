"""Emergence-count forecaster for a bat roost monitored by an IR beam counter.

One-minute counts at dusk (exits, re-entries, light level, temperature) are
modelled autoregressively with a multi-query attention decoder: all query heads
share one key/value head, which keeps the on-site Raspberry Pi fast enough.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiQueryAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = dim // n_heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(dim, 2 * self.head_dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, self.n_heads, self.head_dim)
        k, v = self.kv(x).split(self.head_dim, dim=-1)
        att = torch.einsum("bqhd,bkd->bhqk", q, k) / math.sqrt(self.head_dim)
        seen = torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device))
        att = att.masked_fill(~seen, float("-inf")).softmax(dim=-1)
        return self.o(torch.einsum("bhqk,bkd->bqhd", att, v).reshape(b, t, -1))


class RoostForecaster(nn.Module):
    def __init__(self, dim=32, n_heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(4, dim)
        self.layers = nn.ModuleList(
            nn.ModuleDict({"ln1": nn.LayerNorm(dim), "attn": MultiQueryAttention(dim, n_heads),
                           "ln2": nn.LayerNorm(dim), "mlp": nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))})
            for _ in range(depth))
        self.rate = nn.Linear(dim, 1)

    def forward(self, minutes):
        x = self.inp(minutes)
        for layer in self.layers:
            x = x + layer["attn"](layer["ln1"](x))
            x = x + layer["mlp"](layer["ln2"](x))
        return F.softplus(self.rate(x)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    minutes = torch.rand(3, 60, 4)
    model = RoostForecaster()
    rate = model(minutes[:, :-1])
    loss = F.poisson_nll_loss(rate, minutes[:, 1:, 0] * 20, log_input=False)
    loss.backward()
    print(float(loss))
