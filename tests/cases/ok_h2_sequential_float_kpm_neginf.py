"""Encoder stack in nn.Sequential-like wrapper with a float 0/-inf key padding mask. Correct."""
import torch
import torch.nn as nn


class MaskedStack(nn.Sequential):
    def forward(self, x, kpm):
        for layer in self:
            x = layer(x, src_key_padding_mask=kpm)
        return x


class SetEncoder(nn.Module):
    def __init__(self, d=64, h=4, depth=3):
        super().__init__()
        self.stack = MaskedStack(*[nn.TransformerEncoderLayer(d, h, batch_first=True) for _ in range(depth)])

    def forward(self, elems, present):
        # present: (N, S) bool, True = real element
        kpm = torch.where(present, 0.0, float("-inf"))
        return self.stack(elems, kpm)
