"""Buggy: a local-window keep mask ANDed with right padding: padded queries past the window of every
real token have no key left, so their rows are empty. P7-3 (pytorch#41508). Depends on the lengths.
In bfloat16, whose fused GPU kernels give those rows NaN (0 on this CPU; in float32 on the CPU it is
left alone, as c26 is)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class LocalAttention(nn.Module):
    def __init__(self, E=8, H=2, window=1):
        super().__init__()
        self.h, self.window = H, window
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, x, lengths):
        b, t, e = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        idx = torch.arange(t)
        near = (idx[:, None] - idx[None, :]).abs() <= self.window
        real = idx[None, :] < lengths[:, None]
        keep = near[None, None] & real[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML601
        return out.transpose(1, 2).reshape(b, t, e)


def _setup():
    torch.manual_seed(0)
    return LocalAttention().eval().to(torch.bfloat16), torch.randn(2, 6, 8, dtype=torch.bfloat16), torch.tensor([6, 2])


def run():
    m, x, lengths = _setup()
    with torch.no_grad():
        return (m(x, lengths),)
