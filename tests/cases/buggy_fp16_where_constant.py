"""An additive mask built with torch.where and a constant below the float16 range, in a module
that runs in half precision."""
import torch
from torch import nn


class CrossBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, memory, memory_keep):
        bias = torch.where(memory_keep > 0, 0.0, -1e10).to(x.dtype)  # expect: ML205
        return self.attn(x, memory, memory)[0] + bias.sum()


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = CrossBlock().half()

    def forward(self, x, memory, keep):
        return self.block(x.half(), memory.half(), torch.cat([keep, keep], dim=-1))
