"""Gesture recogniser for a haptic data glove (flex sensors + IMU per frame), with ALiBi distance biases
per head and per-recording padding, both given to nn.MultiheadAttention as one 3-D float mask."""
import math

import torch
import torch.nn as nn

GESTURES = ["grasp", "pinch", "point", "swipe_left", "swipe_right", "rotate", "release"]


def slopes(h):
    return torch.tensor([2.0 ** (-8.0 * (i + 1) / h) for i in range(h)])


class GloveEncoder(nn.Module):
    def __init__(self, n_sensors=11, d=64, n_heads=4, n_layers=2):
        super().__init__()
        self.h = n_heads
        self.inp = nn.Linear(n_sensors, d)
        self.layers = nn.ModuleList(nn.MultiheadAttention(d, n_heads, batch_first=True) for _ in range(n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(n_layers))
        self.out = nn.Linear(d, len(GESTURES))
        self.register_buffer("m", slopes(n_heads))

    def bias(self, lengths, L):
        N = lengths.numel()
        pos = torch.arange(L, device=lengths.device)
        alibi = -self.m.view(-1, 1, 1) * (pos.view(1, -1) - pos.view(-1, 1)).abs()   # (H, L, L)
        padded = pos.view(1, 1, -1) >= lengths.view(-1, 1, 1)                          # (N, 1, L)
        pad_bias = torch.where(padded, -math.inf, 0.0).expand(N, L, L)                 # (N, L, L)
        return alibi.repeat(N, 1, 1) + pad_bias.repeat_interleave(self.h, dim=0)      # row b*H + h

    def forward(self, frames, lengths):
        x = self.inp(frames)
        mask = self.bias(lengths, frames.size(1))
        for attn, norm in zip(self.layers, self.norms):
            x = norm(x + attn(x, x, x, attn_mask=mask, need_weights=False)[0])
        valid = (torch.arange(x.size(1), device=x.device) < lengths[:, None]).unsqueeze(-1)
        return self.out(x.masked_fill(~valid, 0).sum(1) / lengths[:, None])


if __name__ == "__main__":
    lengths = torch.tensor([40, 25])
    frames = torch.randn(2, 40, 11)
    print(GloveEncoder()(frames, lengths).argmax(-1))
