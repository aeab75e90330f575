"""Frame-to-frame visibility.

Convention for this package: a True entry marks a (query scan, key scan) pair
that must not interact, the same convention nn.MultiheadAttention uses, so the
tables can be shared with the legacy MHA model.
"""
import functools

import torch

from .config import MaskKind


@functools.lru_cache(maxsize=32)
def frame_mask(kind: MaskKind, n: int, window: int = 0):
    if kind is MaskKind.FULL:
        return None
    i = torch.arange(n).unsqueeze(1)
    j = torch.arange(n).unsqueeze(0)
    hidden = j > i
    if kind is MaskKind.LOCAL:
        hidden = hidden | (i - j >= window)
    return hidden
