"""Crop-type classification from Sentinel-2 time series; cloudy acquisitions are excluded
from temporal attention (hand-written attention with torch.where)."""
import torch
import torch.nn as nn


class TemporalAttentionEncoder(nn.Module):
    def __init__(self, bands=10, dim=64, heads=4, n_classes=18, max_doy=366):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(bands, dim)
        self.doy = nn.Embedding(max_doy + 1, dim)
        self.q = nn.Parameter(torch.randn(heads, dim // heads))   # one master query per head
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.cls = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, n_classes))

    def forward(self, reflectance, doy, cloudy):
        # reflectance: (B, T, bands); cloudy: (B, T) bool, True = acquisition is unusable
        B, T, _ = reflectance.shape
        x = self.inp(reflectance) + self.doy(doy)
        k = self.k(x).view(B, T, self.heads, -1)
        v = self.v(x).view(B, T, self.heads, -1)
        logits = torch.einsum("hd,bthd->bht", self.q, k) / k.size(-1) ** 0.5
        clear = ~cloudy
        logits = torch.where(clear[:, None, :], logits, torch.full_like(logits, float("-inf")))
        w = logits.softmax(-1)
        pooled = torch.einsum("bht,bthd->bhd", w, v).reshape(B, -1)
        return self.cls(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T = 8, 40
    refl = torch.rand(B, T, 10)
    doy = torch.sort(torch.randint(1, 366, (B, T)), dim=1).values
    cloudy = torch.rand(B, T) < 0.3
    cloudy[:, 0] = False  # every parcel has at least one clear acquisition
    model = TemporalAttentionEncoder()
    loss = nn.functional.cross_entropy(model(refl, doy, cloudy), torch.randint(0, 18, (B,)))
    loss.backward()
    print("crop loss", round(loss.item(), 4))
