"""Learned particle simulator (SPH-style): each particle attends to the
particles inside its interaction radius and predicts an acceleration."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class InteractionLayer(nn.Module):
    def __init__(self, dim, heads=2, radius=0.3):
        super().__init__()
        self.heads, self.radius = heads, radius
        self.qkv = nn.Linear(dim, 3 * dim)
        self.rel = nn.Linear(3, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, h, pos):
        b, n, d = h.shape
        dist = torch.cdist(pos, pos)
        neighbours = (dist < self.radius).float()
        q, k, v = self.qkv(h).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=neighbours.unsqueeze(1))  # expect: ML202
        return h + self.out(y.transpose(1, 2).reshape(b, n, d))


class ParticleSimulator(nn.Module):
    def __init__(self, dim=32, steps=2, radius=0.3):
        super().__init__()
        self.encode = nn.Linear(3 + 3 + 1, dim)  # velocity, boundary distance, material
        self.layers = nn.ModuleList(InteractionLayer(dim, radius=radius) for _ in range(steps))
        self.decode = nn.Linear(dim, 3)

    def forward(self, pos, vel, material):
        wall = torch.minimum(pos, 1.0 - pos)
        h = self.encode(torch.cat([vel, wall, material.unsqueeze(-1)], dim=-1))
        for layer in self.layers:
            h = layer(h, pos)
        return self.decode(h)

    def rollout(self, pos, vel, material, n_steps=5, dt=0.01):
        for _ in range(n_steps):
            acc = self(pos, vel, material)
            vel = vel + dt * acc
            pos = (pos + dt * vel).clamp(0.0, 1.0)
        return pos, vel
