"""Buggy: ALiBi float bias as src mask of nn.TransformerEncoder in eval: the fast path reads it as bool
(each query sees only itself); training adds it. Train and inference compute different models."""
import torch
import torch.nn as nn

KIND = "buggy"


def alibi(L, slope=0.5):
    idx = torch.arange(L)
    return -slope * (idx[None, :] - idx[:, None]).abs().float()


class BiasedEncoder(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 32, dropout=0.0, batch_first=True), 2, enable_nested_tensor=False)

    def forward(self, x):
        return self.enc(x, mask=alibi(x.size(1)))  # expect: ML605


def _setup():
    torch.manual_seed(0)
    return BiasedEncoder().eval(), torch.randn(2, 6, 16)


def run():
    m, x = _setup()
    with torch.no_grad():
        return (m(x),)


def verify():
    m, x = _setup()
    with torch.no_grad():
        ev = m(x)
    m.train()  # dropout 0 -> deterministic slow path
    tr = m(x).detach()
    d = (ev - tr).abs().max().item()
    return d > 1e-3, f"eval fast path vs training path differ by {d:.3g}"
