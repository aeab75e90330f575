"""PatchTST-style forecaster: a bidirectional encoder over the look-back window, a linear
head that predicts the next `horizon` steps; longer horizons are rolled out."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        x = F.scaled_dot_product_attention(q, k, v)
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = Attention(d, h)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        x = x + self.attn(self.n1(x))
        return x + self.mlp(self.n2(x))


class PatchForecaster(nn.Module):
    def __init__(self, lookback=96, patch=8, horizon=24, d=64, h=4, depth=2):
        super().__init__()
        self.lookback, self.patch, self.horizon = lookback, patch, horizon
        n = lookback // patch
        self.embed = nn.Linear(patch, d)
        self.pos = nn.Parameter(torch.zeros(1, n, d))
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(depth)])
        self.head = nn.Linear(n * d, horizon)

    def forward(self, x):  # x: (B, lookback) of past values only
        B = x.size(0)
        mu, sd = x.mean(1, keepdim=True), x.std(1, keepdim=True) + 1e-5
        z = ((x - mu) / sd).unfold(1, self.patch, self.patch)
        z = self.embed(z) + self.pos
        for blk in self.blocks:
            z = blk(z)
        return self.head(z.reshape(B, -1)) * sd + mu

    @torch.no_grad()
    def forecast(self, history, steps):
        out = history
        while out.size(1) - history.size(1) < steps:
            nxt = self(out[:, -self.lookback:])
            out = torch.cat([out, nxt], dim=1)
        return out[:, history.size(1):history.size(1) + steps]


if __name__ == "__main__":
    m = PatchForecaster()
    print(m.forecast(torch.randn(3, 120), 50).shape)
