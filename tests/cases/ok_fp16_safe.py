"""Attention that is safe in half precision (finfo of the scores' dtype; BERT's -10000)."""
import math

import torch
import torch.nn as nn


class HalfSafeAttention(nn.Module):
    def __init__(self, d_model=64, heads=4):
        super().__init__()
        self.heads, self.d_k = heads, d_model // heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.o = nn.Linear(d_model, d_model)

    def forward(self, x, keep):
        # keep: (B, T) bool, True = real token
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.heads, self.d_k).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_k)
        scores = scores.masked_fill(~keep[:, None, None, :], torch.finfo(scores.dtype).min)
        return self.o((scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C))


class LegacyBertScores(nn.Module):
    def __init__(self, d_model=64, heads=4):
        super().__init__()
        self.heads, self.d_k = heads, d_model // heads
        self.qk = nn.Linear(d_model, 2 * d_model)

    def forward(self, x, attention_mask):
        B, T, C = x.shape
        q, k = (t.view(B, T, self.heads, self.d_k).transpose(1, 2) for t in self.qk(x).chunk(2, -1))
        ext = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_k) + ext
        return scores.softmax(-1)


def train_step(model, x, keep, optimizer, scaler):
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        loss = model(x, keep).float().pow(2).mean()
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
