"""Buggy: a batch containing an empty transcript: its key padding mask row is all True -> NaN. P7-2.
The lengths are computed from the data, not visible statically."""
import torch
import torch.nn as nn

KIND = "buggy"


class UtteranceEncoder(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H, batch_first=True)

    def forward(self, feats, frame_energy):
        lengths = (frame_energy > 0.5).sum(1)
        pad = torch.arange(feats.size(1))[None, :] >= lengths[:, None]
        out, _ = self.attn(feats, feats, feats, key_padding_mask=pad)  # expect: ML602 also-ok: ML601
        return out


def _setup():
    torch.manual_seed(0)
    m = UtteranceEncoder().train()
    feats = torch.randn(3, 6, 16)
    energy = torch.tensor([[1.0] * 6, [0.1] * 6, [1.0] * 4 + [0.0] * 2])  # sample 1 is silence
    return m, feats, energy


def run():
    m, f, e = _setup()
    return (m(f, e),)


def verify():
    m, f, e = _setup()
    out = m(f, e)
    nan = torch.isnan(out).any(-1).any(-1)
    return bool(nan[1]) and not bool(nan[0]), f"samples with NaN output: {nan.nonzero().flatten().tolist()}"
