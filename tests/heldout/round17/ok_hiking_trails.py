"""Difficulty rating for hiking trails from elevation profiles.

Profiles are resampled every 50 m along the trail (elevation, slope, surface
class). Attention uses an ALiBi distance penalty so long trails extrapolate;
training runs under fp16 autocast on the club's GPU box.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SURFACES = ("pad", "paved", "gravel", "dirt", "roots", "scree", "snow")


def alibi_slopes(heads):
    start = 2 ** (-8 / heads)
    return torch.tensor([start ** (i + 1) for i in range(heads)])


class ProfileAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.register_buffer("slopes", alibi_slopes(heads)[:, None, None], persistent=False)

    def forward(self, x, pad):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        idx = torch.arange(n, device=x.device)
        distance = (idx[None, :] - idx[:, None]).abs().float()
        bias = -self.slopes * distance                       # (heads, n, n), additive
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.h) + bias
        scores = scores.masked_fill(pad[:, None, None, :], -1e4)
        return self.o((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d))


class TrailRater(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, grades=6):
        super().__init__()
        self.surface = nn.Embedding(len(SURFACES), dim)
        self.num = nn.Linear(2, dim)
        self.layers = nn.ModuleList(ProfileAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.grade = nn.Linear(dim, grades)

    def forward(self, elevation_m, surface):
        slope = F.pad(elevation_m.diff(dim=1), (1, 0)) / 50.0
        pad = surface.eq(0)
        x = self.surface(surface) + self.num(torch.stack([elevation_m / 1000.0, slope], -1))
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), pad)
        keep = (~pad).unsqueeze(-1).to(x.dtype)
        return self.grade((x * keep).sum(1) / keep.sum(1))


def train_step(model, opt, elevation_m, surface, grade):
    with torch.autocast(device_type=elevation_m.device.type, dtype=torch.float16):
        loss = F.cross_entropy(model(elevation_m, surface).float(), grade)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.detach()
