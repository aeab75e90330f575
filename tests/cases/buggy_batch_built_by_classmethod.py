"""Masks that travel inside a batch object built by a classmethod (`return cls(...)`): a
NamedTuple and a dataclass.  The finding is where forward reads the mask out of the batch, not
at the calls that pass the whole batch."""
from dataclasses import dataclass
from typing import List, NamedTuple

import torch
from torch import nn


class Passes(NamedTuple):
    frames: torch.Tensor
    valid: torch.Tensor  # True = a received frame

    @classmethod
    def collate(cls, seqs: List[torch.Tensor]) -> "Passes":
        lengths = torch.tensor([s.size(0) for s in seqs])
        frames = nn.utils.rnn.pad_sequence(seqs, batch_first=True)
        return cls(frames, torch.arange(frames.size(1))[None, :] < lengths[:, None])


@dataclass
class Beats:
    signal: torch.Tensor
    real: torch.Tensor

    @classmethod
    def from_records(cls, records):
        lengths = torch.tensor([r.size(0) for r in records])
        signal = nn.utils.rnn.pad_sequence(records, batch_first=True)
        real = torch.arange(signal.size(1)).unsqueeze(0) < lengths.unsqueeze(1)
        return cls(signal=signal, real=real)


class Encoder(nn.Module):
    def __init__(self, c=6, d=32):
        super().__init__()
        self.inp = nn.Linear(c, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, batch: Passes):
        h = self.enc(self.inp(batch.frames), src_key_padding_mask=batch.valid)  # expect: ML101
        return h

    def score(self, beats: Beats):
        x = self.inp(beats.signal)
        return self.attn(x, x, x, key_padding_mask=beats.real)[0]  # expect: ML101

    def fixed(self, batch: Passes):
        return self.enc(self.inp(batch.frames), src_key_padding_mask=~batch.valid)


if __name__ == "__main__":
    model = Encoder()
    seqs = [torch.randn(7, 6), torch.randn(4, 6)]
    batch = Passes.collate(seqs)
    model(batch)
    model(batch)
    model.fixed(batch)
    model.score(Beats.from_records(seqs))
