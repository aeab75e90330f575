"""Buggy: float 1 = keep key padding mask (attention_mask.float()) into TransformerEncoderLayer in eval + no_grad:
the fast path reads it as bool and masks the REAL tokens; training adds +1 and masks nothing."""
import torch
import torch.nn as nn

KIND = "buggy"


class Tagger(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(E, H, 32, batch_first=True)
        self.out = nn.Linear(E, 4)

    def forward(self, x, attention_mask):
        h = self.layer(x, src_key_padding_mask=attention_mask.float())  # expect: ML201 also-ok: ML101,ML602,ML601
        return self.out(h)


def _setup():
    torch.manual_seed(0)
    x = torch.randn(3, 6, 16)
    am = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 0]])
    return Tagger().eval(), x, am


def run():
    m, x, am = _setup()
    with torch.no_grad():
        return (m(x, am),)


def verify():
    m, x, am = _setup()
    with torch.no_grad():
        a = m(x, am)
        x2 = x.clone()
        x2[0, 4:] += 1.0  # padded positions of sample 0
        b = m(x2, am)
    d = (a[0, :4] - b[0, :4]).abs().max().item()
    return d > 1e-4, f"real tokens of sample 0 moved by {d:.3g} when its padded positions changed (pads attended, reals masked)"
