"""Per-sample pair masks repeated per head (repeat_interleave) before nn.MultiheadAttention: correct."""
import torch
import torch.nn as nn


class RackScheduler(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, online):
        both = online[:, None, :] & online[:, :, None]
        blocked = (~both).repeat_interleave(self.heads, dim=0)
        y, _ = self.attn(x, x, x, attn_mask=blocked)
        return y
