"""Masks whose docstrings say what True means, passed where the API reads the other polarity
(an EEG model ported to nn.MultiheadAttention keeping its True = valid mask, P1-5)."""
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
        return self.attn(x, x, x, key_padding_mask=mask, need_weights=False)[0]  # expect: ML101


def masked_sdpa(q, k, v, frame_mask):
    """Attention over audio frames.

    Args:
        q, k, v: (batch, heads, frames, dim)
        frame_mask: (batch, frames) bool, True for padded frames
    """
    return F.scaled_dot_product_attention(q, k, v, attn_mask=frame_mask[:, None, None, :])  # expect: ML102
