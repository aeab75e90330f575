"""Crop-type classification from a Sentinel-2 pixel time series.

Acquisitions arrive on irregular days and some are cloudy.  Each attention
head gets its own temporal reach (short heads for phenology changes, long
heads for the whole season), and cloudy acquisitions are hidden per pixel.
The per-sample, per-head mask is laid out (N, H, T, T) and flattened to the
(N * H, T, T) stack nn.MultiheadAttention expects.
"""
import torch
import torch.nn.functional as F
from torch import nn

BANDS = 10
CROPS = ["wheat", "maize", "rapeseed", "sugar_beet", "grassland", "potato"]


def head_masks(doy: torch.Tensor, cloudy: torch.Tensor, reach_days) -> torch.Tensor:
    """doy (N, T) day-of-year, cloudy (N, T) bool -> (N, H, T, T) bool, True = hidden."""
    gap = (doy[:, :, None] - doy[:, None, :]).abs()                       # (N, T, T)
    reach = torch.tensor(reach_days, dtype=doy.dtype)[None, :, None, None]
    hidden = (gap[:, None] > reach) | cloudy[:, None, None, :]
    eye = torch.eye(doy.size(1), dtype=torch.bool)
    return hidden & ~eye                                                   # always see yourself


class SeasonAttention(nn.Module):
    def __init__(self, dim, reach_days):
        super().__init__()
        self.reach_days = reach_days
        self.heads = len(reach_days)
        self.mha = nn.MultiheadAttention(dim, self.heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, doy, cloudy):
        n, t, _ = x.shape
        masks = head_masks(doy, cloudy, self.reach_days)                   # (N, H, T, T)
        stacked = masks.reshape(n * self.heads, t, t)                       # index n * H + h
        h = self.norm(x)
        return x + self.mha(h, h, h, attn_mask=stacked, need_weights=False)[0]


class CropClassifier(nn.Module):
    def __init__(self, dim=32, reach_days=(16, 32, 64, 366)):
        super().__init__()
        self.spectral = nn.Sequential(nn.Linear(BANDS, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.doy_emb = nn.Linear(2, dim)
        self.attn = nn.ModuleList([SeasonAttention(dim, reach_days), SeasonAttention(dim, reach_days)])
        self.out = nn.Linear(dim, len(CROPS))

    def forward(self, reflectance, doy, cloudy):
        angle = 2 * torch.pi * doy.float() / 365
        x = self.spectral(reflectance) + self.doy_emb(torch.stack([angle.sin(), angle.cos()], -1))
        for layer in self.attn:
            x = layer(x, doy, cloudy)
        clear = (~cloudy).unsqueeze(-1).float()
        return self.out((x * clear).sum(1) / clear.sum(1).clamp_min(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    n, t = 3, 14
    doy = torch.sort(torch.randint(60, 300, (n, t)), dim=1).values
    cloudy = torch.rand(n, t) < 0.3
    reflectance = torch.rand(n, t, BANDS)
    model = CropClassifier()
    loss = F.cross_entropy(model(reflectance, doy, cloudy), torch.tensor([0, 1, 4]))
    loss.backward()
    print("crop loss", round(loss.item(), 4))
