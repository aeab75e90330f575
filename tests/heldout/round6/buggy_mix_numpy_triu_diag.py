"""Time-series forecaster; the look-ahead mask is cached as a NumPy array."""
import functools

import numpy as np
import torch
import torch.nn as nn


@functools.lru_cache(maxsize=8)
def look_ahead_mask(n: int) -> np.ndarray:
    # True where the key is not in the past of the query
    return np.triu(np.ones((n, n)), k=0).astype(bool)


class Forecaster(nn.Module):
    def __init__(self, n_features=4, d=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(n_features, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.out = nn.Linear(d, n_features)

    def forward(self, series):
        x = self.inp(series)
        mask = torch.from_numpy(look_ahead_mask(series.size(1))).to(x.device)
        h, _ = self.attn(
            x, x, x,
            attn_mask=mask,  # expect: ML404
        )
        return self.out(h)


if __name__ == "__main__":
    f = Forecaster()
    y = f(torch.randn(2, 6, 4))
    print("NaN in first step:", torch.isnan(y[:, 0]).any().item())
