"""Granular-flow simulator: attention with a smooth distance kernel."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KernelAttention(nn.Module):
    def __init__(self, dim, heads=2, radius=0.3):
        super().__init__()
        self.heads, self.radius = heads, radius
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, h, pos):
        b, n, d = h.shape
        dist = torch.cdist(pos, pos)
        bias = -(dist / self.radius) ** 2
        bias = bias.masked_fill(dist >= self.radius, float("-inf"))
        q, k, v = self.qkv(h).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias.unsqueeze(1))
        return h + self.out(y.transpose(1, 2).reshape(b, n, d))


class GranularSimulator(nn.Module):
    def __init__(self, dim=32, steps=2, radius=0.3):
        super().__init__()
        self.encode = nn.Linear(7, dim)
        self.layers = nn.ModuleList(KernelAttention(dim, radius=radius) for _ in range(steps))
        self.decode = nn.Linear(dim, 3)

    def forward(self, pos, vel, material):
        h = self.encode(torch.cat([vel, torch.minimum(pos, 1 - pos), material.unsqueeze(-1)], -1))
        for layer in self.layers:
            h = layer(h, pos)
        return self.decode(h)
