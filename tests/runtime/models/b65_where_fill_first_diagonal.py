"""Buggy: hand-written causal attention that writes its mask as torch.where(no_peek, -inf,
scores) with torch.triu(ones) (diagonal=0): the diagonal is hidden too, query 0 has no key and
its softmax row is NaN."""
import math

import torch
import torch.nn as nn

KIND = "buggy"


class Attn(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        t = x.size(1)
        scores = self.q(x) @ self.k(x).transpose(-1, -2) / math.sqrt(x.size(-1))
        no_peek = torch.triu(torch.ones(t, t, dtype=torch.bool))
        weights = torch.where(no_peek, float("-inf"), scores).softmax(dim=-1)  # expect: ML404
        return weights @ self.v(x)


def run():
    torch.manual_seed(0)
    model = Attn()
    x = torch.randn(2, 6, 16)
    out = model(x)
    torch.nan_to_num(out).sum().backward()
    with torch.no_grad():
        ev = model.eval()(x)
    return out.detach(), ev
