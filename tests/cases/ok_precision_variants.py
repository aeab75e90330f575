"""Correct code that looks like attention-mask misuse: logits masked but never normalised over
keys, a large negative fill after an explicit float32 upcast, -1e9 under bfloat16 autocast."""
import torch
from torch import nn


class ReadingOrderPointer(nn.Module):
    """Pairwise pointer logits: element i may only point to later elements; scored with BCE."""

    def __init__(self, d=64):
        super().__init__()
        self.proj = nn.Linear(d, 2 * d)

    def forward(self, x):
        q, k = self.proj(x).chunk(2, dim=-1)
        logits = q @ k.transpose(-2, -1)
        L = x.size(1)
        earlier = torch.tril(torch.ones(L, L, device=x.device)).bool()
        return logits.masked_fill(earlier, -1e4)


class UpcastAttention(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, pad):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1)
        scores = scores.float()  # float32 from here on: -1e18 fits
        scores = scores.masked_fill(pad[:, None, :], -1e18)
        return scores.softmax(-1).type_as(v) @ v


def train_step(model, x, pad):
    model.half()
    return model(x.half(), pad)


class Bf16Attention(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, pad):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
            scores = q @ k.transpose(-2, -1)
            scores = scores.masked_fill(pad[:, None, :], -1e9)
            return scores.softmax(-1) @ v
