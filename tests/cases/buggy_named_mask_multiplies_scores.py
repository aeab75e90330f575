"""A mask multiplied into the scores before the softmax (catalogue P2-11, DiGress-style graph
transformers, DiffMS / MIST): the masked scores become 0, and exp(0) still gets weight, so the
padded nodes stay in every softmax.  The masks here come in as parameters known by their names
only; the multiplication is wrong whatever they hold (0/1, bool, or 0 / -inf)."""
import math

import torch
import torch.nn as nn


def masked_softmax(x, mask, **kwargs):
    if mask.sum() == 0:
        return x
    return torch.softmax(x * mask, **kwargs)  # expect: ML202


class PairAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)

    def forward(self, x, node_mask):
        b, n, _ = x.shape
        m = node_mask.unsqueeze(-1).float()
        row_mask, col_mask = m.unsqueeze(2), m.unsqueeze(1)
        q = self.q(x).view(b, n, self.heads, self.hd)
        k = self.k(x).view(b, n, self.heads, self.hd)
        att = (q.unsqueeze(2) * k.unsqueeze(1)).sum(-1) / math.sqrt(self.hd)
        att = att * (row_mask * col_mask)  # expect: ML202
        return torch.softmax(att, dim=2)


def set_attention(queries, keys, key_valid):
    logits = torch.einsum("bqd,bkd->bqk", queries, keys)
    return (logits * key_valid[:, None, :].float()).softmax(dim=-1)  # expect: ML202
