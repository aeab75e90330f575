"""Masks and constants reached through object state: a class-body constant read as self.X, a mask
exposed as a @property, a mask carried in a NamedTuple batch."""
from functools import cached_property
from typing import NamedTuple

import torch
import torch.nn as nn


class Attention(nn.Module):
    NEG = -1e9  # expect: ML205

    def __init__(self, dim=32):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, keep):
        q, k, v = self.qkv(x).chunk(3, -1)
        sim = (q @ k.transpose(-1, -2)).masked_fill(~keep[:, None, :], self.NEG)
        return sim.softmax(-1) @ v


def train(model, x, keep):
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        return model(x, keep).sum()


class Chunked(nn.Module):
    def __init__(self, dim=32, heads=4, size=8):
        super().__init__()
        self.size = size
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    @property
    def causal(self):
        return torch.ones(self.size, self.size, dtype=torch.bool).tril()

    def forward(self, x):
        return self.attn(x, x, x, attn_mask=self.causal)[0]  # expect: ML101


class Batch(NamedTuple):
    ids: torch.Tensor
    pad: torch.Tensor


def collate(rows):
    ids = torch.nn.utils.rnn.pad_sequence([torch.tensor(r) for r in rows], batch_first=True)
    return Batch(ids, (ids != 0).float())


class Encoder(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.emb = nn.Embedding(100, dim, padding_idx=0)
        self.enc = nn.TransformerEncoderLayer(dim, 4, batch_first=True)

    def forward(self, batch: Batch):
        return self.enc(self.emb(batch.ids), src_key_padding_mask=batch.pad)  # expect: ML201


if __name__ == "__main__":
    Encoder()(collate([[3, 4, 5], [6, 7]]))
