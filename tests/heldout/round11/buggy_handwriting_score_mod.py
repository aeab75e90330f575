"""Online handwriting synthesis: autoregressive pen-stroke model using FlexAttention score_mods."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention


def make_score_mod(slopes):
    def alibi_causal(score, b, h, q_idx, kv_idx):
        biased = score - slopes[h] * (q_idx - kv_idx)
        return torch.where(q_idx > kv_idx, biased, -float("inf"))  # expect: ML404
    return alibi_causal


class StrokeAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.register_buffer("slopes", 2.0 ** (-torch.arange(1, heads + 1, dtype=torch.float)))

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, score_mod=make_score_mod(self.slopes))
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class StrokeModel(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, n_mix=5):
        super().__init__()
        self.inp = nn.Linear(3, dim)
        self.layers = nn.ModuleList(StrokeAttention(dim, heads) for _ in range(depth))
        self.mdn = nn.Linear(dim, n_mix * 6 + 1)

    def forward(self, strokes):
        x = self.inp(strokes)
        for layer in self.layers:
            x = x + layer(x)
        return self.mdn(x)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    strokes = torch.cat([torch.randn(2, 50, 2), (torch.rand(2, 50, 1) < 0.1).float()], -1)
    with torch.no_grad():
        out = StrokeModel()(strokes)
    print(out.shape, out[:, 0].abs().sum().item())
