"""Buggy: causal mask built with triu(ones) (diagonal 0) also hides the diagonal: query 0 attends to nothing. P7-1."""
import torch
import torch.nn as nn

KIND = "buggy"


class CausalEncoder(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)
        self.ff = nn.Linear(E, E)

    def forward(self, x):
        T = x.size(1)
        mask = torch.triu(torch.ones(T, T)).bool()
        h, w = self.attn(x, x, x, attn_mask=mask)  # expect: ML404 also-ok: ML601
        return self.ff(x + h), w


def _setup():
    torch.manual_seed(0)
    return CausalEncoder().train(), torch.randn(2, 6, 16)


def run():
    m, x = _setup()
    return m(x)


def verify():
    m, x = _setup()
    out, _ = m(x)
    nan_rows = torch.isnan(out).any(-1)
    return bool(nan_rows[:, 0].all()), f"NaN rows (sample, pos): {nan_rows.nonzero().tolist()}"
