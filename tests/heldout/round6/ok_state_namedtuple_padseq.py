"""NamedTuple batches whose padding mask is itself built with pad_sequence(padding_value=True)."""
from typing import NamedTuple

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


class Packed(NamedTuple):
    feats: torch.Tensor  # (N, S, F)
    is_pad: torch.Tensor  # (N, S) bool, True = padding


def collate(items):
    feats = pad_sequence(items, batch_first=True)
    is_pad = pad_sequence([torch.zeros(len(t), dtype=torch.bool) for t in items],
                          batch_first=True, padding_value=True)
    return Packed(feats, is_pad)


class SetEncoder(nn.Module):
    def __init__(self, f=8, d=32, nhead=4):
        super().__init__()
        self.inp = nn.Linear(f, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 2)

    def forward(self, batch: Packed):
        h = self.enc(self.inp(batch.feats), src_key_padding_mask=batch.is_pad)
        keep = (~batch.is_pad).unsqueeze(-1).float()
        return (h.nan_to_num() * keep).sum(1) / keep.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SetEncoder()
    items = [torch.randn(3, 8), torch.randn(5, 8)]
    for mode in (m.train, m.eval):
        mode()
        with torch.no_grad():
            both, alone = m(collate(items)), m(collate(items[:1]))
        assert torch.allclose(both[0], alone[0], atol=1e-5)
    print("padding ok")
