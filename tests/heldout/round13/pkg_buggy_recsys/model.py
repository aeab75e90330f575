import torch.nn as nn

from .base import SequenceEncoderBase
from .layers import BidirectionalLayer


class Bert4Rec(SequenceEncoderBase):
    def __init__(self, n_items=5000, dim=64, heads=2, depth=2, max_len=50, p_drop=0.1):
        super().__init__(n_items, dim, max_len)
        self.layers = nn.ModuleList(BidirectionalLayer(dim, heads, p_drop) for _ in range(depth))
        self.out = nn.Linear(dim, n_items + 2)

    def attend(self, x, mask):
        for layer in self.layers:
            x = layer(x, mask)
        return self.out(x)
