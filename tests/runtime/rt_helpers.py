"""Shared helpers of the runtime tests (tiny dims keep the suite fast)."""
from __future__ import annotations

import torch

N, H, L, S, E = 2, 2, 6, 6, 8


def codes(s):
    return sorted({f.code for f in s.findings})


def hf_right_padded():
    """A Hugging Face attention_mask (1 = real token): sample 0 full, sample 1 padded at the end."""
    return torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])


def hf_left_padded():
    return torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
