"""Correct: eager attention adds (1 - attention_mask) * finfo.min on right-padded data, an ALiBi
bias plus a -inf causal bias with torch.add, and a residual add of the same shape as scores would
have: none of them is a wrong mask."""
import math

import torch
import torch.nn as nn

KIND = "correct"


def run():
    torch.manual_seed(0)
    ids = torch.tensor([[3, 4, 5, 6, 7], [3, 4, 5, 0, 0]])
    emb = nn.Embedding(10, 16)
    proj = nn.Linear(16, 48)
    q, k, v = proj(emb(ids)).view(2, 5, 3, 2, 8).permute(2, 0, 3, 1, 4)
    scores = q @ k.transpose(-1, -2) / math.sqrt(8)
    pad = (1.0 - (ids != 0)[:, None, None, :].float()) * torch.finfo(torch.float32).min
    a = (scores + pad).softmax(-1) @ v
    slopes = torch.tensor([0.5, 0.25])[:, None, None]
    i = torch.arange(5)
    alibi = -slopes * (i[:, None] - i[None, :]).abs()
    causal = torch.full((5, 5), float("-inf")).triu(1)
    b = torch.add(torch.add(scores, alibi), causal).softmax(-1) @ v
    residual = a + b
    residual.sum().backward()
    return (residual.detach(), proj.weight.grad)
