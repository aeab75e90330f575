"""Buggy: tril keep mask (True = attend) into nn.MultiheadAttention (True = blocked); training, batch_first=False."""
import torch
import torch.nn as nn

KIND = "buggy"


class Block(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H, dropout=0.1)  # batch_first=False
        self.ln = nn.LayerNorm(E)

    def forward(self, x):  # x: (L, N, E)
        L = x.size(0)
        keep = torch.tril(torch.ones(L, L, dtype=torch.bool))
        h, w = self.attn(x, x, x, attn_mask=keep)  # expect: ML101 also-ok: ML601,ML404
        return self.ln(x + h), w


def _setup():
    torch.manual_seed(0)
    m = Block().train()
    x = torch.randn(6, 3, 16)
    return m, x


def run():
    m, x = _setup()
    torch.manual_seed(7)
    return m(x)


def verify():
    m, x = _setup()
    x2 = x.clone()
    x2[-1] += 1.0
    torch.manual_seed(7)
    a, _ = m(x)
    torch.manual_seed(7)
    b, _ = m(x2)
    d = (a[0] - b[0]).nan_to_num(0).abs().max().item()
    nan = torch.isnan(a).any().item()
    return d > 1e-4 or nan, f"query 0 moved by {d:.3g} when the future token changed; NaN in output: {nan}"
