"""fp16 hand-written attention with dtype-aware fill, and positional MHA args in the right slots. Correct."""
import math

import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, d=256, h=4):
        super().__init__()
        self.h, self.dk = h, d // h
        self.qkv = nn.Linear(d, 3 * d)
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, keep):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores.masked_fill(~keep[:, None, None, :], torch.finfo(scores.dtype).min)
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), 1)
        out, _ = self.mha(y, y, y, ~keep, False, causal)
        return out


def step(model, x, keep, opt, scaler):
    with torch.autocast("cuda", dtype=torch.float16):
        loss = model(x, keep).float().square().mean()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
