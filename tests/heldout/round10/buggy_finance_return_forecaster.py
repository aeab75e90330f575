"""Next-day return forecaster over daily OHLCV bars, one causal attention stack per ticker batch."""
import torch
import torch.nn as nn

FEATURES = ["open", "high", "low", "close", "volume"]


def make_features(bars):
    # bars: (B, T, 5) raw OHLCV -> log returns and normalised volume
    close = bars[..., 3]
    ret = torch.diff(torch.log(close), dim=1, prepend=torch.log(close[:, :1]))
    hl = torch.log(bars[..., 1] / bars[..., 2])
    oc = torch.log(bars[..., 3] / bars[..., 0])
    vol = torch.log1p(bars[..., 4])
    vol = (vol - vol.mean(1, keepdim=True)) / (vol.std(1, keepdim=True) + 1e-6)
    return torch.stack([ret, hl, oc, vol], dim=-1)


class CausalBlock(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, mask):
        h = self.n1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]  # expect: ML202
        return x + self.ff(self.n2(x))


class ReturnForecaster(nn.Module):
    def __init__(self, n_feat=4, d=32, heads=4, depth=2, lookback=60):
        super().__init__()
        self.lookback = lookback
        self.inp = nn.Linear(n_feat, d)
        self.pos = nn.Parameter(torch.zeros(lookback, d))
        self.blocks = nn.ModuleList(CausalBlock(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, 1)
        self.register_buffer("mask", torch.tril(torch.ones(lookback, lookback)))

    def forward(self, feats):
        T = feats.size(1)
        x = self.inp(feats) + self.pos[:T]
        mask = self.mask[:T, :T]
        for blk in self.blocks:
            x = blk(x, mask)
        return self.out(x).squeeze(-1)  # prediction of the return at t+1 from every t


def synthetic_bars(B, T):
    close = 100 * torch.exp(torch.cumsum(0.01 * torch.randn(B, T), dim=1))
    open_ = close * (1 + 0.003 * torch.randn(B, T))
    high = torch.maximum(open_, close) * (1 + 0.005 * torch.rand(B, T))
    low = torch.minimum(open_, close) * (1 - 0.005 * torch.rand(B, T))
    vol = torch.randint(1000, 100000, (B, T)).float()
    return torch.stack([open_, high, low, close, vol], dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    feats = make_features(synthetic_bars(8, 61))
    model = ReturnForecaster()
    pred = model(feats[:, :-1])
    loss = nn.functional.mse_loss(pred, feats[:, 1:, 0])
    loss.backward()
    print(pred.shape, loss.item())
