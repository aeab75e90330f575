"""Forecaster with a NumPy look-ahead mask in torch's convention (k=1, True = future)."""
import functools

import numpy as np
import torch
import torch.nn as nn


@functools.lru_cache(maxsize=8)
def look_ahead(n: int) -> np.ndarray:
    return np.triu(np.ones((n, n), dtype=bool), k=1)


class Forecaster(nn.Module):
    def __init__(self, n_features=4, d=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(n_features, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.out = nn.Linear(d, n_features)

    def forward(self, series):
        x = self.inp(series)
        mask = torch.from_numpy(look_ahead(series.size(1))).to(x.device)
        h, _ = self.attn(x, x, x, attn_mask=mask)
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    f = Forecaster()
    s = torch.randn(2, 6, 4); s2 = s.clone(); s2[:, -1] = torch.randn(2, 4)
    y = f(s)
    assert not torch.isnan(y).any() and torch.allclose(y[:, :-1], f(s2)[:, :-1], atol=1e-5)
    print("look-ahead ok")
