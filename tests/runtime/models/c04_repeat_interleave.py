"""Correct: per-sample 3-D mask expanded with repeat_interleave(H, dim=0) (sample-major, b*H + h)."""
import torch
import torch.nn as nn

KIND = "correct"


class CrossFrame(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, x, pad):
        L = x.size(1)
        per_sample = pad[:, None, :].expand(-1, L, -1)
        stacked = per_sample.repeat_interleave(self.H, dim=0)
        out, _ = self.attn(x, x, x, attn_mask=stacked, need_weights=False)
        return out


def _setup():
    torch.manual_seed(0)
    m = CrossFrame().train()
    x = torch.randn(3, 6, 16)
    pad = torch.arange(6)[None, :] >= torch.tensor([3, 6, 4])[:, None]
    return m, x, pad


def run():
    m, x, pad = _setup()
    return (m(x, pad),)


def verify():
    m, x, pad = _setup()
    a = m(x, pad)
    x2 = x.clone()
    x2[0, 3:] += 1.0
    x2[2, 4:] += 1.0
    b = m(x2, pad)
    d = max((a[0, :3] - b[0, :3]).abs().max().item(), (a[2, :4] - b[2, :4]).abs().max().item())
    return d < 1e-6, f"real frames moved by {d:.3g} when padded frames changed"
