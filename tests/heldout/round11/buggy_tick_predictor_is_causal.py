"""Online next-tick return predictor served behind a lightweight inference wrapper."""
import functools

import torch
import torch.nn as nn


def inference(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        was_training = self.training
        self.eval()
        try:
            with torch.inference_mode():
                return fn(self, *args, **kwargs)
        finally:
            self.train(was_training)
    return wrapper


class TickBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x):
        y = self.n1(x)
        x = x + self.attn(y, y, y, need_weights=False, is_causal=True)[0]  # expect: ML402
        return x + self.ff(self.n2(x))


class TickModel(nn.Module):
    def __init__(self, n_feat=8, d=64, h=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(n_feat, d)
        self.blocks = nn.Sequential(*[TickBlock(d, h) for _ in range(depth)])
        self.out = nn.Linear(d, 1)

    def forward(self, ticks):
        return self.out(self.blocks(self.inp(ticks))).squeeze(-1)

    @inference
    def predict_window(self, ticks):
        return self(ticks)[:, -1]


if __name__ == "__main__":
    model = TickModel()
    window = torch.randn(16, 64, 8)
    print(model.predict_window(window).shape)
