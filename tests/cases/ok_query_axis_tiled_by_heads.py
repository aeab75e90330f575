"""Correct twins: the per-sample stack built sample-major (`repeat_interleave` over dim 0, or
the query axis and the heads tiled together then viewed, as FuxiCTR's fix does)."""
import torch
import torch.nn as nn


class SessionEncoder(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, item_ids):
        pad = item_ids == 0
        t = pad.size(1)
        stacked = pad[:, None, :].expand(-1, t, -1).repeat_interleave(self.heads, dim=0)
        return self.attn(x, x, x, attn_mask=stacked)[0]


class ViewedSessionEncoder(SessionEncoder):
    def forward(self, x, item_ids):
        pad = item_ids == 0
        t = pad.size(1)
        stacked = pad.unsqueeze(1).repeat(1, t * self.heads, 1).view(-1, t, t)
        return self.attn(x, x, x, attn_mask=stacked)[0]
