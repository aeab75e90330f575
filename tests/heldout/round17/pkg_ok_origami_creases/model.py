import math

import torch
import torch.nn as nn

ASSIGNMENTS = ("mountain", "valley", "flat", "border")


class CreaseAssigner(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3):
        super().__init__()
        self.heads = heads
        self.embed = nn.Sequential(nn.Linear(7, dim), nn.GELU(), nn.Linear(dim, dim))
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True)
                                  for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, len(ASSIGNMENTS))

    def forward(self, creases, blocked):
        angle = creases[..., 4:5] * math.pi / 180.0
        x = self.embed(torch.cat([creases[..., :4], angle.sin(), angle.cos(),
                                  (creases[..., :2] - creases[..., 2:4]).norm(dim=-1, keepdim=True)], -1))
        per_head = blocked.repeat_interleave(self.heads, dim=0)   # (rows * heads, L, L)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            y, _ = attn(h, h, h, attn_mask=per_head, need_weights=False)
            x = x + y
        return self.head(x)
