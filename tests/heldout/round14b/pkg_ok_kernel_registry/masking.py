import torch


def key_keep_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """Tokenizer-style (B, S) 1/0 mask -> (B, 1, 1, S) bool, True = real token."""
    return attention_mask.bool()[:, None, None, :]
