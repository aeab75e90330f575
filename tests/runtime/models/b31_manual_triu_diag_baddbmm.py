"""Buggy: (B*H, T, T) scores from baddbmm, causal mask built with ones(T, T).triu() (diagonal 0):
the first query has no key, and with -1e4 it attends uniformly to every key, the future included."""
import torch
import torch.nn as nn

KIND = "buggy"


class Decoder(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def _split(self, t, b, n):
        return t.reshape(b, n, self.heads, self.hd).permute(0, 2, 1, 3).reshape(b * self.heads, n, self.hd)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = (self._split(t, b, n) for t in self.qkv(x).chunk(3, -1))
        scores = torch.baddbmm(torch.zeros(b * self.heads, n, n), q, k.transpose(1, 2), alpha=self.hd ** -0.5)
        hide = torch.ones(n, n, dtype=torch.bool).triu()
        scores = scores.masked_fill(hide, -1e4)  # expect: ML404
        out = torch.bmm(scores.softmax(-1), v).reshape(b, self.heads, n, self.hd).transpose(1, 2)
        return self.proj(out.reshape(b, n, d))


def run():
    torch.manual_seed(0)
    model = Decoder().train()
    x = torch.randn(2, 5, 16, requires_grad=True)
    y = model(x)
    y.sum().backward()
    return y, x.grad
