"""Brush-stroke generator for calligraphy practice sheets: (dx, dy, pressure, pen_state) sequences."""
import numpy as np
import torch
import torch.nn as nn

_BIAS_CACHE = {}


def future_bias(n):
    if n not in _BIAS_CACHE:
        b = np.triu(np.full((n, n), -np.inf, dtype=np.float32), k=1)
        _BIAS_CACHE[n] = torch.from_numpy(b)
    return _BIAS_CACHE[n]


class StrokeDecoder(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, n_mix=5):
        super().__init__()
        self.inp = nn.Linear(4, d)
        self.attn = nn.ModuleList([nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers)])
        self.norm = nn.ModuleList([nn.LayerNorm(d) for _ in range(2 * layers)])
        self.ff = nn.ModuleList([nn.Sequential(nn.Linear(d, 2 * d), nn.Tanh(), nn.Linear(2 * d, d)) for _ in range(layers)])
        self.mdn = nn.Linear(d, n_mix * 6 + 3)  # mixture of bivariate gaussians + pen-state logits

    def forward(self, strokes):
        n = strokes.size(1)
        bias = future_bias(n).to(strokes.device)
        x = self.inp(strokes)
        for i, (attn, ff) in enumerate(zip(self.attn, self.ff)):
            h = self.norm[2 * i](x)
            x = x + attn(h, h, h, attn_mask=bias, need_weights=False)[0]
            x = x + ff(self.norm[2 * i + 1](x))
        return self.mdn(x)


def strokes_from_points(points):
    pts = np.asarray(points, dtype=np.float32)
    deltas = np.diff(pts[:, :2], axis=0, prepend=pts[:1, :2])
    return np.concatenate([deltas, pts[:, 2:]], axis=1)


if __name__ == "__main__":
    pts = [(0, 0, 0.2, 1), (3, 1, 0.6, 1), (7, 4, 0.9, 1), (9, 9, 0.4, 0), (12, 10, 0.1, 1)]
    seq = torch.from_numpy(strokes_from_points(pts))[None]
    print(StrokeDecoder()(seq).shape)
