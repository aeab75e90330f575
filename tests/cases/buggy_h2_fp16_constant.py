"""Hand-written attention with a module-level mask constant, trained under fp16 autocast."""
import math

import torch
import torch.nn as nn

MASK_FILL = -1e9  # expect: ML205


class SelfAttention(nn.Module):
    def __init__(self, d=512, h=8):
        super().__init__()
        self.h, self.dk = h, d // h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, keep):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores.masked_fill(~keep[:, None, None, :], MASK_FILL)
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)


def fit(model, loader, opt):
    scaler = torch.cuda.amp.GradScaler()
    for x, keep in loader:
        with torch.autocast("cuda", dtype=torch.float16):
            loss = model(x.cuda(), keep.cuda()).square().mean()
        opt.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
