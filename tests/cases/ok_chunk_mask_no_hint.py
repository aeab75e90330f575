"""The streaming block with its chunk mask alone (no causal hint), and an SDPA variant that
inverts the hidden set into the positions to attend."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ChunkConfig:
    dim: int = 32
    heads: int = 4
    frames_per_chunk: int = 8
    history: int = 3


class ChunkedSelfAttention(nn.Module):
    def __init__(self, cfg: ChunkConfig = ChunkConfig()):
        super().__init__()
        self.cfg = cfg
        self.attn = nn.MultiheadAttention(cfg.dim, cfg.heads, batch_first=True)

    def forward(self, x):
        chunk = torch.arange(x.size(1), device=x.device) // self.cfg.frames_per_chunk
        hidden = (chunk[None, :] > chunk[:, None]) | (chunk[None, :] < chunk[:, None] - self.cfg.history)
        out, _ = self.attn(x, x, x, attn_mask=hidden, need_weights=False)
        return out


def local_causal_sdpa(q, k, v, window: int):
    i = torch.arange(q.size(-2), device=q.device)
    hidden = (i[None, :] > i[:, None]) | (i[None, :] < i[:, None] - window)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~hidden)
