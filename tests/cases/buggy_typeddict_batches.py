"""Batches typed as TypedDicts: calling the class builds a plain dict (keywords, or a dict
given whole), and the masks in it keep what is known about them."""
from typing import TypedDict

import torch
from torch import nn


class Tokens(TypedDict):
    ids: torch.Tensor
    pad: torch.Tensor  # 1.0 where there is no token


class Frames(TypedDict, total=False):
    feats: torch.Tensor
    valid: torch.Tensor


def collate(seqs) -> Tokens:
    width = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), width, dtype=torch.long)
    pad = torch.ones(len(seqs), width)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        pad[i, : len(s)] = 0.0
    return Tokens(ids=ids, pad=pad)


def frames(feats, lengths) -> Frames:
    valid = torch.arange(feats.size(1))[None, :] < lengths[:, None]
    return Frames({"feats": feats, "valid": valid})


class Model(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.emb = nn.Embedding(50, dim)
        self.layer = nn.TransformerEncoderLayer(dim, 4, batch_first=True)
        self.mha = nn.MultiheadAttention(dim, 4, batch_first=True)

    def forward(self, batch: Tokens):
        return self.layer(self.emb(batch["ids"]), src_key_padding_mask=batch["pad"])  # expect: ML201

    def audio(self, batch: Frames):
        x = batch["feats"]
        return self.mha(x, x, x, key_padding_mask=batch["valid"])[0]  # expect: ML101

    def fixed(self, batch: Tokens):
        return self.layer(self.emb(batch["ids"]), src_key_padding_mask=batch["pad"].bool())


if __name__ == "__main__":
    model = Model()
    tokens = collate([[3, 4, 5], [6, 7]])
    model(tokens)
    model.fixed(tokens)
    model.audio(frames(torch.randn(2, 5, 32), torch.tensor([5, 3])))
