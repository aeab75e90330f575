"""Buggy: 0/1 masks added to the scores of hand-written attention, as a keep mask straight from the
tokenizer (int64, 1 = real token), as a bool keep mask meant for SDPA handed to an eager path
(causal and padding), and as an int mask made 4-D in a helper: torch promotes them, so the
blocked keys get +0 and the kept ones +1, and nothing is hidden."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


def eager_attention(q, k, v, bias):
    w = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    w = w + bias  # expect: ML203
    return w.softmax(-1) @ v


class Encoder(nn.Module):
    def __init__(self, d=16, heads=2, style="hf"):
        super().__init__()
        self.h, self.style = heads, style
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, 4)

    def forward(self, x, attention_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if self.style == "hf":
            s = q @ k.transpose(-1, -2) / math.sqrt(C // self.h)
            s = s + attention_mask[:, None, None, :]  # expect: ML203
            y = s.softmax(-1) @ v
        elif self.style == "bool":
            keep = torch.ones(T, T, dtype=torch.bool).tril() & attention_mask.bool()[:, None, None, :]
            s = torch.matmul(q, k.transpose(-1, -2)) * (C // self.h) ** -0.5
            s = s + keep  # expect: ML202
            y = F.softmax(s, dim=-1) @ v
        else:
            y = eager_attention(q, k, v, attention_mask.view(B, 1, 1, T))
        return self.out(y.transpose(1, 2).reshape(B, T, C)).mean(1)


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 5, 16)
    am = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    losses = []
    for style in ("hf", "bool", "helper"):
        loss = Encoder(style=style)(x, am).pow(2).mean()
        loss.backward()
        losses.append(loss.detach())
    return tuple(losses)
