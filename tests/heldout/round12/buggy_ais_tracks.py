"""Vessel trajectory forecasting from AIS pings.

Encoder: nn.MultiheadAttention over the irregular history of pings.
Decoder: learned horizon queries that cross-attend to the encoded pings with
F.scaled_dot_product_attention.  Tracks have different numbers of pings, so
the history is padded at the end.
"""
import torch
import torch.nn.functional as F
from torch import nn

FEATURES = ("lat", "lon", "sog", "cog_sin", "cog_cos", "dt_minutes")


def ping_masks(n_pings: torch.Tensor, max_pings: int):
    real = torch.arange(max_pings)[None, :] < n_pings[:, None]       # (N, S)
    return ~real, real[:, None, None, :]                               # MHA padding, SDPA keep


class PingEncoder(nn.Module):
    def __init__(self, dim, heads, depth):
        super().__init__()
        self.inp = nn.Linear(len(FEATURES), dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))

    def forward(self, pings, padding):
        x = self.inp(pings)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, key_padding_mask=padding, need_weights=False)[0]
        return x


class HorizonDecoder(nn.Module):
    def __init__(self, dim, heads, horizon):
        super().__init__()
        self.heads = heads
        self.queries = nn.Parameter(torch.randn(horizon, dim) * 0.02)
        self.q, self.kv = nn.Linear(dim, dim), nn.Linear(dim, 2 * dim)
        self.out = nn.Linear(dim, 2)                                   # lat/lon offsets

    def forward(self, memory, keep=None):
        n, s, d = memory.shape
        q = self.q(self.queries).expand(n, -1, -1).view(n, -1, self.heads, d // self.heads).transpose(1, 2)
        k, v = self.kv(memory).view(n, s, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.out(y.transpose(1, 2).reshape(n, -1, d))


class TrackForecaster(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, horizon=6):
        super().__init__()
        self.encoder = PingEncoder(dim, heads, depth)
        self.decoder = HorizonDecoder(dim, heads, horizon)

    def forward(self, pings, n_pings):
        padding, keep = ping_masks(n_pings, pings.size(1))
        memory = self.encoder(pings, padding)
        return self.decoder(memory)  # expect: ML502


if __name__ == "__main__":
    torch.manual_seed(0)
    pings = torch.randn(3, 20, len(FEATURES))
    n_pings = torch.tensor([20, 14, 9])
    future = torch.randn(3, 6, 2) * 0.01
    model = TrackForecaster()
    loss = F.mse_loss(model(pings, n_pings), future)
    loss.backward()
    print("track loss", round(loss.item(), 6))
