"""Correct: an inherited classmethod constructor; the subclass's __post_init__ builds an SDPA
keep mask, the base's an MHA padding mask."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


@dataclass
class PaddedBatch:
    ids: torch.Tensor
    mask: torch.Tensor = field(init=False)

    def __post_init__(self):
        self.mask = self.ids == PAD  # True = pad (nn.MultiheadAttention's key_padding_mask)

    @classmethod
    def from_rows(cls, rows):
        n = max(len(r) for r in rows)
        ids = torch.full((len(rows), n), PAD, dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r)
        return cls(ids)


@dataclass
class SDPABatch(PaddedBatch):
    def __post_init__(self):
        self.mask = (self.ids != PAD)[:, None, None, :]  # True = attend (SDPA)


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.h = h

    def forward(self, rows):
        batch = SDPABatch.from_rows(rows)
        x = self.emb(batch.ids)
        B, T, C = x.shape
        q = x.view(B, T, self.h, -1).transpose(1, 2)
        return F.scaled_dot_product_attention(q, q, q, attn_mask=batch.mask)


class MHAEncoder(nn.Module):
    def __init__(self, vocab=100, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, rows):
        batch = PaddedBatch.from_rows(rows)
        x = self.emb(batch.ids)
        return self.attn(x, x, x, key_padding_mask=batch.mask)[0]


if __name__ == "__main__":
    rows = [[1, 2, 3], [4, 5]]
    print(Encoder()(rows).isnan().any().item(), MHAEncoder()(rows).isnan().any().item())
