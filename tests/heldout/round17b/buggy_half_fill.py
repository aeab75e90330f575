"""Crop-type classification from satellite image time series.

Each field is a sequence of acquisition dates; cloudy dates are marked and
left out of attention.
"""
import torch
import torch.nn.functional as F
from torch import nn


class DateAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, cloudy):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        bias = torch.empty(b, 1, 1, t, dtype=q.dtype, device=q.device).fill_(0.0)
        bias.masked_fill_(cloudy[:, None, None, :], -1e9)  # expect: ML205
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class CropClassifier(nn.Module):
    def __init__(self, bands=10, dim=64, heads=4, n_crops=12, max_days=366):
        super().__init__()
        self.spectral = nn.Linear(bands, dim)
        self.day = nn.Embedding(max_days, dim)
        self.attn = DateAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_crops)

    def forward(self, reflectance, doy, cloudy):
        x = self.spectral(reflectance) + self.day(doy)
        x = self.norm(x + self.attn(x, cloudy))
        clear = (~cloudy).unsqueeze(-1).to(x.dtype)
        return self.head((x * clear).sum(1) / clear.sum(1))


def predict_tiles(model, tiles):
    model = model.half().eval()
    preds = []
    with torch.no_grad():
        for refl, doy, cloudy in tiles:
            preds.append(model(refl.half(), doy, cloudy).argmax(-1))
    return torch.cat(preds)


if __name__ == "__main__":
    torch.manual_seed(0)
    refl = torch.rand(4, 24, 10)
    doy = torch.sort(torch.randint(0, 366, (4, 24)), dim=1).values
    cloudy = torch.rand(4, 24) < 0.3
    model = CropClassifier()
    print(model(refl, doy, cloudy).argmax(-1))
    print(predict_tiles(model, [(refl, doy, cloudy)]))
