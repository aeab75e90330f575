"""Buggy: padding hidden with -inf in hand-written attention; the batch holds an empty sample (every
position padding), whose rows become NaN and poison the loss (P7)."""
import torch
import torch.nn as nn

KIND = "buggy"


class SetEncoder(nn.Module):
    def __init__(self, dim=16, heads=4):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, pad):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).view(b, n, 3, self.heads, d // self.heads).unbind(2)
        dots = torch.einsum("bihd,bjhd->bhij", q, k) / (d // self.heads) ** 0.5
        dots = dots.masked_fill(pad[:, None, None, :], float("-inf"))  # expect: ML601
        out = torch.einsum("bhij,bjhd->bihd", dots.softmax(-1), v).reshape(b, n, d)
        return self.out(out)


def run():
    torch.manual_seed(0)
    lengths = torch.tensor([5, 0, 3])
    pad = torch.arange(5)[None, :] >= lengths[:, None]
    return SetEncoder()(torch.randn(3, 5, 16), pad)
