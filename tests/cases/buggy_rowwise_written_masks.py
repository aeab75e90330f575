"""Masks written row by row in a loop (`ret[i, :ending] = True`): WeNet's chunk mask and the
plain triangles, each handed to the API of the other convention."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ATTN = nn.MultiheadAttention(8, 2)


def chunk_mask(size, chunk):
    """True where frame i may look (its chunk and the past)."""
    ret = torch.zeros(size, size, dtype=torch.bool)
    for i in range(size):
        ending = min((i // chunk + 1) * chunk, size)
        ret[i, 0:ending] = True
    return ret


class StreamingLayer(nn.Module):
    def __init__(self, d, heads, chunk):
        super().__init__()
        self.chunk = chunk
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x):
        mask = chunk_mask(x.size(1), self.chunk)
        return self.attn(x, x, x, attn_mask=mask)[0]  # expect: ML101


def lower_rows(x):
    n = x.size(0)
    allowed = torch.zeros(n, n, dtype=torch.bool)
    for row in range(n):
        allowed[row, : row + 1] = True
    return ATTN(x, x, x, attn_mask=allowed)[0]  # expect: ML101


def future_rows(q, k, v):
    n = q.size(-2)
    future = torch.zeros(n, n, dtype=torch.bool)
    for t in range(n):
        future[t, t + 1:] = True
    return F.scaled_dot_product_attention(q, k, v, attn_mask=future)  # expect: ML102
