"""Correct: ALiBi float bias into nn.MultiheadAttention in eval (MHA keeps float masks additive)."""
import torch
import torch.nn as nn

KIND = "correct"


class AlibiAttn(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, x):
        idx = torch.arange(x.size(1))
        bias = -0.5 * (idx[None, :] - idx[:, None]).abs().float()
        out, _ = self.attn(x, x, x, attn_mask=bias, need_weights=False)
        return out


def _setup():
    torch.manual_seed(0)
    return AlibiAttn().eval(), torch.randn(2, 6, 16)


def run():
    m, x = _setup()
    with torch.no_grad():
        return (m(x),)


def verify():
    m, x = _setup()
    with torch.no_grad():
        ev = m(x)
    m.train()  # dropout 0
    tr = m(x).detach()
    d = (ev - tr).abs().max().item()
    return d < 1e-5, f"eval vs train differ by {d:.3g}"
