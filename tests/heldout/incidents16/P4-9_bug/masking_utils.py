"""Mask builders shared by the encoder models.

Every builder returns a bool tensor of shape (batch, 1, q_len, kv_len) in the SDPA
convention: True means the query may attend to the key. ``attention_mask`` is the
2-D tokenizer mask (1 = real token, 0 = padding) or None.
"""
from typing import Optional

import torch


def _padding(attention_mask: torch.Tensor) -> torch.Tensor:
    return attention_mask.bool()[:, None, None, :]


def create_bidirectional_mask(attention_mask: Optional[torch.Tensor], seq_len: int) -> Optional[torch.Tensor]:
    if attention_mask is None:
        return None
    return _padding(attention_mask).expand(-1, 1, seq_len, -1)


def create_causal_mask(attention_mask: Optional[torch.Tensor], seq_len: int) -> torch.Tensor:
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()[None, None]
    if attention_mask is None:
        return causal
    return causal & _padding(attention_mask)


def create_sliding_window_causal_mask(attention_mask: Optional[torch.Tensor], seq_len: int, window: int) -> torch.Tensor:
    idx = torch.arange(seq_len)
    local = (idx[:, None] - idx[None, :]) < window
    return create_causal_mask(attention_mask, seq_len) & local[None, None]
