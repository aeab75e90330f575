"""Autoregressive motion-capture pose forecasting (joint rotations per frame)."""
from functools import lru_cache

import torch
import torch.nn as nn


class CausalMaskMixin:
    @staticmethod
    @lru_cache(maxsize=8)
    def causal_mask(n: int) -> torch.Tensor:
        return torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)


class PoseBlock(CausalMaskMixin, nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x):
        y = self.ln1(x)
        mask = self.causal_mask(x.size(1))
        x = x + self.attn(y, y, y, attn_mask=mask, is_causal=True, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class PoseForecaster(nn.Module):
    def __init__(self, n_joints=22, d=128, heads=4, depth=3):
        super().__init__()
        self.inp = nn.Linear(n_joints * 6, d)
        self.blocks = nn.Sequential(*(PoseBlock(d, heads) for _ in range(depth)))
        self.out = nn.Linear(d, n_joints * 6)

    def forward(self, poses):
        return poses + self.out(self.blocks(self.inp(poses)))

    @torch.no_grad()
    def rollout(self, seed, n_frames):
        seq = seed
        for _ in range(n_frames):
            seq = torch.cat([seq, self(seq)[:, -1:]], dim=1)
        return seq[:, seed.size(1):]


if __name__ == "__main__":
    model = PoseForecaster()
    clip = torch.randn(2, 60, 22 * 6)
    loss = nn.functional.mse_loss(model(clip[:, :-1]), clip[:, 1:])
    loss.backward()
    print(loss.item(), model.eval().rollout(clip[:, :30], 10).shape)
