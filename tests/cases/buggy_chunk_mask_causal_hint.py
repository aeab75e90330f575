"""A streaming Conformer-style block: each frame sees its own chunk and the chunks behind it,
built from frame indices in the forward, and the layer also passes is_causal=True."""
from dataclasses import dataclass

import torch
import torch.nn as nn


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
        out, _ = self.attn(x, x, x, attn_mask=hidden, is_causal=True, need_weights=False)  # expect: ML402
        return out
