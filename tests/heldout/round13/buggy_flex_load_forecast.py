"""Household electricity-load forecaster with FlexAttention (causal + ALiBi-style decay)."""
import math

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def only_history(b, h, q_idx, kv_idx):
    return kv_idx < q_idx


def make_decay(slopes):
    def decay(score, b, h, q_idx, kv_idx):
        return score - slopes[h] * (q_idx - kv_idx)
    return decay


class LoadForecaster(nn.Module):
    def __init__(self, n_feats=8, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_feats, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(depth))
        self.proj = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.out = nn.Linear(dim, 1)
        slopes = torch.tensor([2 ** (-8 * (i + 1) / heads) for i in range(heads)])
        self.register_buffer("slopes", slopes)

    def forward(self, feats):
        B, T, _ = feats.shape
        x = self.inp(feats)
        block_mask = create_block_mask(only_history, None, None, T, T, device=feats.device)  # expect: ML404
        score_mod = make_decay(self.slopes)
        for qkv, proj in zip(self.qkv, self.proj):
            q, k, v = qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, score_mod=score_mod, block_mask=block_mask)
            x = x + proj(y.transpose(1, 2).reshape(B, T, -1))
        return self.out(x).squeeze(-1)  # load at t+1


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    hours = torch.arange(169, dtype=torch.float32)
    load = 1.0 + 0.5 * torch.sin(2 * math.pi * hours / 24) + 0.1 * torch.randn(16, 169)
    feats = torch.cat([load[..., None], torch.randn(16, 169, 7)], dim=-1)
    model = LoadForecaster().eval()
    with torch.no_grad():
        pred = model(feats[:, :-1])
        print("val mse", round(nn.functional.mse_loss(pred, load[:, 1:]).item(), 4))
