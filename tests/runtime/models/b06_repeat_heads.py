"""Buggy: per-sample 3-D mask stacked with .repeat(H, 1, 1) (head-major) instead of repeat_interleave. P3-1/P3-2."""
import torch
import torch.nn as nn

KIND = "buggy"


class CrossFrame(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, x, pad):
        L = x.size(1)
        per_sample = pad[:, None, :].expand(-1, L, -1)
        stacked = per_sample.repeat(self.H, 1, 1)
        out, _ = self.attn(x, x, x, attn_mask=stacked, need_weights=False)  # expect: ML302
        return out


def _setup():
    torch.manual_seed(0)
    m = CrossFrame().train()
    x = torch.randn(3, 6, 16)
    lengths = torch.tensor([3, 6, 4])
    pad = torch.arange(6)[None, :] >= lengths[:, None]
    return m, x, pad


def run():
    m, x, pad = _setup()
    return (m(x, pad),)


def verify():
    m, x, pad = _setup()
    a = m(x, pad)
    x2 = x.clone()
    x2[0, 3:] += 1.0  # padded frames of sample 0
    b = m(x2, pad)
    d = (a[0, :3] - b[0, :3]).abs().max().item()
    return d > 1e-4, f"real frames of sample 0 moved by {d:.3g} when its padded frames changed"
