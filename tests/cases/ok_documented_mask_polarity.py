"""Documented masks passed with the polarity each API reads (silent)."""
from typing import Optional

import torch
from torch import nn
import torch.nn.functional as F


class TimeAttention(nn.Module):
    """Self-attention over time steps.

    ``mask``: (batch, n_times), True where the time step holds real signal.
    """

    def __init__(self, d=40, heads=10):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        kpm = None if mask is None else ~mask
        return self.attn(x, x, x, key_padding_mask=kpm, need_weights=False)[0]


def masked_sdpa(q, k, v, frame_mask):
    """Attention over audio frames.

    Args:
        q, k, v: (batch, heads, frames, dim)
        frame_mask: (batch, frames) bool, True for padded frames
        window_mask: (frames, frames), 1 means the key is too far away
    """
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~frame_mask[:, None, None, :])
