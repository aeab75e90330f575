"""The same row-by-row masks, each given to the API that reads it the way it was written."""
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
        return self.attn(x, x, x, attn_mask=~mask)[0]


def sdpa_chunks(q, k, v, chunk):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=chunk_mask(q.size(-2), chunk))


def future_rows(x):
    n = x.size(0)
    future = torch.zeros(n, n, dtype=torch.bool)
    for t in range(n):
        future[t, t + 1:] = True
    return ATTN(x, x, x, attn_mask=future)[0]
