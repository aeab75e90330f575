"""Packed sequences masked with torch.block_diag: one block per sequence, the blocks' value
inside (float 0/1 unless the blocks are bool), zero across sequences; per-row masks stacked
with torch.stack into a batch."""
from typing import List

import torch
import torch.nn.functional as F
from torch import nn


def visibility(lengths: List[int]):
    return torch.block_diag(*[torch.ones(n, n) for n in lengths])


def same_doc(lengths: List[int]):
    return torch.block_diag(*(torch.ones(n, n, dtype=torch.bool) for n in lengths))


class Packed(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def heads_of(self, x):
        b, n, _ = x.shape
        return self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)

    def sdpa(self, x, rows: List[List[int]]):
        q, k, v = self.heads_of(x)
        vis = torch.stack([visibility(r) for r in rows])
        return F.scaled_dot_product_attention(q, k, v, attn_mask=vis.unsqueeze(1))  # expect: ML202

    def sdpa_fixed(self, x, rows: List[List[int]]):
        q, k, v = self.heads_of(x)
        keep = torch.stack([same_doc(r) for r in rows])
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep.unsqueeze(1))

    def mha(self, x, lengths: List[int]):
        return self.attn(x, x, x, attn_mask=same_doc(lengths))[0]  # expect: ML101

    def mha_fixed(self, x, lengths: List[int]):
        return self.attn(x, x, x, attn_mask=~same_doc(lengths))[0]


if __name__ == "__main__":
    m = Packed()
    x = torch.randn(2, 5, 32)
    m.sdpa(x, [[3, 2], [1, 4]])
    m.sdpa_fixed(x, [[3, 2], [1, 4]])
    m.mha(x, [3, 2])
    m.mha_fixed(x, [3, 2])
