import torch
import torch.nn as nn


class SinusoidalPosition(nn.Module):
    def __init__(self, dim, max_len=1024):
        super().__init__()
        pos = torch.arange(max_len)[:, None]
        div = torch.exp(torch.arange(0, dim, 2) * (-torch.log(torch.tensor(10000.0)) / dim))
        pe = torch.zeros(max_len, dim)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class ForecastBlock(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(2 * dim, dim))
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, x, attn_mask):
        a, _ = self.attn(x, x, x, attn_mask=attn_mask, need_weights=False)  # expect: ML103
        x = self.n1(x + a)
        return self.n2(x + self.ff(x))


class AutoregressiveForecaster(nn.Module):
    """Predicts y[t+1] from y[<=t] for multivariate sensor series."""

    def __init__(self, n_features=6, dim=32, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(n_features, dim)
        self.pos = SinusoidalPosition(dim)
        self.blocks = nn.ModuleList(ForecastBlock(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, n_features)

    @staticmethod
    def attention_bias(t, device):
        seen = torch.tril(torch.ones(t, t, device=device)).bool()
        return torch.where(seen, float("-inf"), 0.0)

    def forward(self, series):
        h = self.pos(self.inp(series))
        bias = self.attention_bias(series.size(1), series.device)
        for blk in self.blocks:
            h = blk(h, bias)
        return self.out(h)

    def training_step(self, series):
        pred = self(series[:, :-1])
        return nn.functional.mse_loss(pred, series[:, 1:])


if __name__ == "__main__":
    model = AutoregressiveForecaster()
    y = torch.randn(4, 24, 6)
    print(model.training_step(y))
