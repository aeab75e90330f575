"""Household electricity-load forecaster: decoder-only over hourly readings, rolling forecast without a cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalBlock(nn.Module):
    def __init__(self, d, heads, p=0.1):
        super().__init__()
        self.h, self.p = heads, p
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.p if self.training else 0.0, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class LoadForecaster(nn.Module):
    def __init__(self, n_cov=4, d=48, heads=4, depth=2, max_len=24 * 14):
        super().__init__()
        self.inp = nn.Linear(1 + n_cov, d)
        self.hour = nn.Embedding(24, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(CausalBlock(d, heads) for _ in range(depth))
        self.head = nn.Linear(d, 2)  # mean and log-scale of the next reading

    def forward(self, load, cov, hour):
        T = load.size(1)
        x = self.inp(torch.cat([load.unsqueeze(-1), cov], -1)) + self.hour(hour) + self.pos(torch.arange(T))
        for blk in self.blocks:
            x = blk(x)
        mu, log_s = self.head(x).unbind(-1)
        return mu, log_s

    @torch.no_grad()
    def forecast(self, load, cov, hour, future_cov, future_hour):
        for t in range(future_cov.size(1)):
            mu, _ = self(load, cov, hour)
            load = torch.cat([load, mu[:, -1:]], dim=1)
            cov = torch.cat([cov, future_cov[:, t:t + 1]], dim=1)
            hour = torch.cat([hour, future_hour[:, t:t + 1]], dim=1)
        return load[:, -future_cov.size(1):]


def gaussian_nll(mu, log_s, y, valid):
    nll = log_s + 0.5 * ((y - mu) / log_s.exp()) ** 2
    return (nll * valid).sum() / valid.sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T = 3, 72
    hour = (torch.arange(T) % 24).repeat(B, 1)
    load = 1 + 0.5 * torch.sin(hour / 24 * 6.28) + 0.1 * torch.randn(B, T)
    cov = torch.randn(B, T, 4)
    n_obs = torch.tensor([72, 60, 48])                       # right-padded histories
    valid = (torch.arange(T - 1)[None] < (n_obs - 1)[:, None]).float()
    model = LoadForecaster()
    mu, log_s = model(load[:, :-1], cov[:, :-1], hour[:, :-1])
    loss = gaussian_nll(mu, log_s, load[:, 1:], valid)
    loss.backward()
    model.eval()
    fc = model.forecast(load[:1, :48], cov[:1, :48], hour[:1, :48], cov[:1, 48:54], hour[:1, 48:54])
    print(loss.item(), fc.shape)
