"""Online handwriting synthesis: autoregressive model over pen-offset strokes (dx, dy, pen_up).

Masks are precomputed with NumPy and cached per sequence length, so the data loader workers
and the model share one table.
"""
from functools import lru_cache

import numpy as np
import torch
from torch import nn


@lru_cache(maxsize=32)
def lookahead_mask(n: int) -> np.ndarray:
    return np.triu(np.ones((n, n), dtype=np.uint8), k=1)


class StrokeModel(nn.Module):
    def __init__(self, dim=64, heads=4, n_mix=5):
        super().__init__()
        self.n_mix = n_mix
        self.inp = nn.Linear(3, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
        self.mdn = nn.Linear(dim, n_mix * 6 + 1)  # pi, mu_x, mu_y, log_sx, log_sy, rho + pen logit

    def forward(self, strokes):
        x = self.inp(strokes)
        mask = torch.from_numpy(lookahead_mask(strokes.size(1))).to(x.device)
        a, _ = self.attn(x, x, x, attn_mask=mask)  # expect: ML203
        x = x + a
        x = x + self.ff(x)
        return self.mdn(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StrokeModel()
    strokes = torch.cat([torch.randn(2, 12, 2), (torch.rand(2, 12, 1) > 0.8).float()], -1)
    try:
        print("params", model(strokes).shape)
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", type(err).__name__, err)
