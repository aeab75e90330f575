"""The mask converted before the if; both branches pass it (one converted, one raw)."""
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint


class Layer(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, x, key_padding_mask=None):
        return x + self.attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)[0]


class Model(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.layers = nn.ModuleList([Layer(d) for _ in range(2)])
        self.use_ckpt = True

    def forward(self, x, padding_mask):
        kpm = padding_mask.bool()
        for layer in self.layers:
            if self.use_ckpt and self.training:
                x = checkpoint(layer, x, kpm, use_reentrant=False)
            else:
                x = layer(x, key_padding_mask=padding_mask)
        return x


def main():
    lens = torch.tensor([9, 5])
    pad = torch.arange(9)[None] >= lens[:, None]
    return Model(16)(torch.randn(2, 9, 16), pad)
