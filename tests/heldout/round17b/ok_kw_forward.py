"""Tide-gauge water-level forecasting with gaps from sensor maintenance."""
import torch
from torch import nn


class GaugeBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, key_padding_mask=None, attn_mask=None):
        h = self.norm(x)
        a, _ = self.attn(h, h, h, key_padding_mask=key_padding_mask, attn_mask=attn_mask)
        x = x + a
        return x + self.ff(x)


class TideForecaster(nn.Module):
    def __init__(self, dim=32, heads=4, depth=3):
        super().__init__()
        self.inp = nn.Linear(3, dim)
        self.blocks = nn.ModuleList(GaugeBlock(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, 1)

    def forward(self, level, hour_angle):
        gap = torch.isnan(level)
        feats = torch.stack([torch.nan_to_num(level), torch.sin(hour_angle), torch.cos(hour_angle)], -1)
        h = self.inp(feats)
        n = level.size(1)
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool, device=level.device), 1)
        h = self.blocks[0](h, gap, causal)
        for blk in self.blocks[1:]:
            h = blk(h, attn_mask=causal, key_padding_mask=gap)
        return self.out(h).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    t = torch.arange(48, dtype=torch.float32)
    level = torch.sin(2 * torch.pi * t / 12.42).repeat(4, 1) + 0.05 * torch.randn(4, 48)
    level[1, 20:26] = float("nan")
    angle = (2 * torch.pi * t / 24).repeat(4, 1)
    model = TideForecaster()
    pred = model(level[:, :-1], angle[:, :-1])
    target = level[:, 1:]
    ok = ~torch.isnan(target)
    print(nn.functional.mse_loss(pred[ok], target[ok]).item())
