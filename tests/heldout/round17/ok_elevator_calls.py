"""Group-control scorer for a bank of elevators (key-side padding bias)."""
import torch
import torch.nn as nn


class CallEncoder(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, call_pad):
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm(x)).view(b, n, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / (d // self.h) ** 0.5
        att = att.masked_fill(call_pad[:, None, None, :], torch.finfo(att.dtype).min)
        return x + self.o((att.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d))


class DispatchScorer(nn.Module):
    def __init__(self, n_floors=60, n_cars=6, dim=64, heads=4, depth=2):
        super().__init__()
        self.floor = nn.Embedding(n_floors, dim)
        self.direction = nn.Embedding(2, dim)
        self.wait = nn.Linear(1, dim)
        self.layers = nn.ModuleList(CallEncoder(dim, heads) for _ in range(depth))
        self.car_state = nn.Linear(3, dim)
        self.n_cars = n_cars

    def forward(self, floor, direction, wait_s, call_pad, cars):
        x = self.floor(floor) + self.direction(direction) + self.wait(torch.log1p(wait_s)[..., None])
        for layer in self.layers:
            x = layer(x, call_pad)
        keep = (~call_pad).unsqueeze(-1).float()
        context = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return (self.car_state(cars) * context[:, None]).sum(-1)
