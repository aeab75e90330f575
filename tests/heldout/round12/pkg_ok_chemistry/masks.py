"""Bridges the tokenizer's keep-mask (1 = real token) and torch's padding masks."""
import torch
import torch.nn.functional as F


def key_padding_from(attention_mask: torch.Tensor, n_prefix: int = 0) -> torch.Tensor:
    """(N, S) int keep-mask -> (N, n_prefix + S) bool, True where the key is padding."""
    padding = attention_mask == 0
    if n_prefix:
        padding = F.pad(padding, (n_prefix, 0), value=False)   # prefix tokens are real
    return padding
