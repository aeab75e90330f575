"""Correct (deprecated style only): the ML204 rule page example (float causal tgt_mask next to a bool
tgt_key_padding_mask), imported verbatim from _c16_model.py. Torch warns but computes the right thing;
ML204 is opt-in (off by default), so a default run must stay quiet. run(): training mode (dropout 0.1)."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _c16_model import PeptideDecoder  # noqa: E402

KIND = "correct"


def _setup():
    torch.manual_seed(0)
    m = PeptideDecoder(d_model=16, nhead=2, layers=1)
    tokens = torch.tensor([[3, 4, 5, 0], [5, 6, 7, 8]])
    return m, tokens, torch.randn(2, 3, 16)


def run():
    m, t, mem = _setup()
    return (m(t, mem),)


def verify():
    m, t, mem = _setup()
    m.eval()
    a = m(t, mem)
    t2 = t.clone()
    t2[1, 3] = 1  # future token of sample 1
    with torch.no_grad():
        m.aa.weight[0] += 1.0  # pad embedding (sample 0, position 3)
    b = m(t2, mem)
    d = max((a[1, :3] - b[1, :3]).abs().max().item(), (a[0, :3] - b[0, :3]).abs().max().item())
    return d == 0.0 and not torch.isnan(a).any(), f"past/real outputs moved by {d}"
