"""Sequence-first encoder; batches are stored batch-first and transposed at the model boundary."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class SrcBatch:
    src: torch.Tensor  # (N, S) token ids
    src_pad: torch.Tensor  # (N, S) True = padding

    @classmethod
    def from_ids(cls, ids: torch.Tensor, pad_id: int = 1):
        return cls(ids, ids.eq(pad_id))


class SeqFirstEncoder(nn.Module):
    def __init__(self, vocab=64, d=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0)  # batch_first=False
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, batch: SrcBatch) -> torch.Tensor:
        x = self.emb(batch.src.t())  # (S, N, E)
        pad = batch.src_pad.t()  # keep the mask in the same layout as x
        return self.encoder(
            x,
            src_key_padding_mask=pad,  # expect: ML304
        )


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 1, 1], [8, 9, 10, 11, 12]])
    try:
        SeqFirstEncoder()(SrcBatch.from_ids(ids))
    except Exception as e:
        print(type(e).__name__, e)
