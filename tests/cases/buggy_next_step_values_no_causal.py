"""Sequence models of values (tracks, sensor readings) fed the sequence without its last step and
trained on the steps after the first: autoregressive whatever the head or the loss, so each
position must not see the step it predicts."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class TrackAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = (z.view(b, t, self.heads, -1).transpose(1, 2) for z in self.qkv(x).chunk(3, dim=-1))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        return (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)  # expect: ML401


class TrackModel(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.inp = nn.Linear(4, dim)
        self.attn = TrackAttention(dim)
        self.out = nn.Linear(dim, 2)

    def forward(self, states):
        return self.out(self.attn(self.inp(states)))


def step_loss(model, states):
    pred = model(states[:, :-1])
    return F.mse_loss(pred, states[:, 1:, :2])
