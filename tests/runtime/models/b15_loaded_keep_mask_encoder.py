"""Buggy: a causal KEEP mask (True = attend) is shipped as a tensor file and loaded at run time, then passed to
nn.TransformerEncoder (True = blocked). A static linter cannot see the file's content."""
import os
import tempfile

import torch
import torch.nn as nn

KIND = "buggy"
_PATH = os.path.join(tempfile.gettempdir(), "heldout_rt_b15_mask.pt")


def _export_mask(L):
    # produced by some other tool (True = may attend)
    torch.save(torch.ones(L, L).tril() > 0, _PATH)


class LM(nn.Module):
    def __init__(self, vocab=40, E=16, H=2, L=6):
        super().__init__()
        self.emb = nn.Embedding(vocab, E)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 32, dropout=0.1), 2, enable_nested_tensor=False)
        self.head = nn.Linear(E, vocab)
        self.register_buffer("mask", torch.load(_PATH))

    def forward(self, ids):  # ids: (L, N)
        h = self.enc(self.emb(ids), mask=self.mask)  # expect: ML101 also-ok: ML601
        return self.head(h)


def _setup():
    _export_mask(6)
    torch.manual_seed(0)
    return LM().train(), torch.randint(1, 40, (6, 2))


def run():
    m, ids = _setup()
    torch.manual_seed(3)
    return (m(ids),)


def verify():
    m, ids = _setup()
    ids2 = ids.clone()
    ids2[-1] = (ids2[-1] % 39) + 1
    torch.manual_seed(3)
    a = m(ids)
    torch.manual_seed(3)
    b = m(ids2)
    d = (a[0] - b[0]).nan_to_num(0).abs().max().item()
    return d > 1e-4, f"position 0 moved by {d:.3g} when the last token changed"
