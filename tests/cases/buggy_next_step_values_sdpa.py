"""A sensor forecaster fed readings without the last one and scored on the readings after the
first, with SDPA and no causal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Forecaster(nn.Module):
    def __init__(self, channels=3, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(channels, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, channels)

    def forward(self, readings):
        x = self.inp(readings)
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v)  # expect: ML401
        return self.out(y.transpose(1, 2).reshape(b, t, d))


def train_epoch(model, loader, opt):
    for readings in loader:
        forecast = model(readings[:, :-1])
        loss = (forecast - readings[:, 1:]).abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
