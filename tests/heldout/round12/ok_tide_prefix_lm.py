"""Tide-gauge forecasting as a prefix language model.

The observed window (OBS hourly water levels, already known) is encoded
bidirectionally; the forecast window (HORIZON hours) is generated left to
right and can read the whole observed window plus earlier forecast steps.
The visibility matrix is assembled from four blocks.
"""
import torch
import torch.nn.functional as F
from torch import nn

OBS, HORIZON = 36, 12


def prefix_lm_visibility(n_obs: int, n_fut: int) -> torch.Tensor:
    """(P+F, P+F) bool, True = query may attend to key (SDPA convention)."""
    obs_obs = torch.ones(n_obs, n_obs, dtype=torch.bool)
    obs_fut = torch.zeros(n_obs, n_fut, dtype=torch.bool)
    fut_obs = torch.ones(n_fut, n_obs, dtype=torch.bool)
    fut_fut = ~torch.ones(n_fut, n_fut, dtype=torch.bool).triu(1)
    return torch.cat([torch.cat([obs_obs, obs_fut], dim=1),
                      torch.cat([fut_obs, fut_fut], dim=1)], dim=0)


class TideBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, visibility):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln(x)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=visibility)
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(x)


class TidePrefixLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.level = nn.Linear(1, dim)
        self.segment = nn.Embedding(2, dim)                 # 0 = observed, 1 = forecast
        self.hour = nn.Embedding(OBS + HORIZON, dim)
        self.blocks = nn.ModuleList(TideBlock(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, 1)
        self.register_buffer("visibility", prefix_lm_visibility(OBS, HORIZON), persistent=False)

    def forward(self, observed, forecast_in):
        seq = torch.cat([observed, forecast_in], dim=1).unsqueeze(-1)
        seg = torch.cat([torch.zeros(OBS, dtype=torch.long), torch.ones(forecast_in.size(1), dtype=torch.long)])
        t = seq.size(1)
        x = self.level(seq) + self.segment(seg) + self.hour(torch.arange(t))
        for blk in self.blocks:
            x = blk(x, self.visibility[:t, :t])
        return self.out(x[:, OBS - 1: t - 1]).squeeze(-1)   # prediction for each forecast hour


if __name__ == "__main__":
    torch.manual_seed(0)
    hours = torch.arange(OBS + HORIZON, dtype=torch.float)
    m2 = 12.42                                               # principal lunar semidiurnal period
    levels = torch.sin(2 * torch.pi * hours / m2) + 0.05 * torch.randn(3, OBS + HORIZON)
    observed, future = levels[:, :OBS], levels[:, OBS:]
    model = TidePrefixLM()
    pred = model(observed, future)                           # teacher forcing
    loss = F.mse_loss(pred, future)
    loss.backward()
    print("tide mse", round(loss.item(), 4), "pred", tuple(pred.shape))
