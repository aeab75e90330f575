from torch import nn

from .attention import FrameAttention
from .constants import N_MELS


class Tagger(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(N_MELS, dim)
        self.attn = FrameAttention(dim, heads)
        self.out = nn.Linear(dim, 5)

    def forward(self, mels, pad):
        return self.out(self.attn(self.inp(mels), pad).mean(1))
