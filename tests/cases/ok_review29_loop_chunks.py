import torch
import torch.nn as nn


def chunk_mask(n_chunks, chunk, total):
    """Streaming encoder: chunk c attends to every frame up to the end of chunk c (True = attend)."""
    mask = torch.zeros(n_chunks, total, dtype=torch.bool)
    for c in range(n_chunks):
        end = min(total, (c + 1) * chunk)
        mask[c, :end] = True
    return mask


class StreamingEncoder(nn.Module):
    def __init__(self, d=144, heads=4, chunk=16):
        super().__init__()
        self.chunk = chunk
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x):
        T = x.size(1)
        n = (T + self.chunk - 1) // self.chunk
        per_chunk = chunk_mask(n, self.chunk, T)
        rows = per_chunk.repeat_interleave(self.chunk, dim=0)[:T]
        return self.attn(x, x, x, attn_mask=~rows)[0]
