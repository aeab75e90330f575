"""Earthquake detection on 3-component waveforms with windowed attention."""
import torch
import torch.nn as nn


def window_bias(n, radius, device=None):
    pos = torch.arange(n, device=device)
    far = (pos[:, None] - pos[None, :]).abs() > radius
    return torch.zeros(n, n, device=device).masked_fill(far, float("-inf"))


def soft_window_bias(n, radius, device=None):
    pos = torch.arange(n, device=device, dtype=torch.float32)
    near = (pos[:, None] - pos[None, :]).abs() <= radius
    return torch.where(near, torch.zeros(()), torch.full((), float("-inf")))


class EventDetector(nn.Module):
    def __init__(self, dim=32, heads=4, radius=6, soft=False):
        super().__init__()
        self.radius, self.soft = radius, soft
        self.stem = nn.Sequential(nn.Conv1d(3, dim, 7, stride=2, padding=3), nn.GELU(), nn.Conv1d(dim, dim, 5, stride=2, padding=2))
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.det = nn.Linear(dim, 1)

    def forward(self, wave):
        h = self.stem(wave).transpose(1, 2)
        make = soft_window_bias if self.soft else window_bias
        bias = make(h.size(1), self.radius, h.device)
        a, _ = self.attn(h, h, h, attn_mask=bias, need_weights=False)
        return self.det(self.norm(h + a)).squeeze(-1)
