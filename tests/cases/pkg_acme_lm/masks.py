"""Mask helpers shared by the acme_lm models."""
import torch


def causal_keep(seq_len: int, device=None) -> torch.Tensor:
    """(T, T) bool, True where query i may look at key j (j <= i)."""
    return torch.ones(seq_len, seq_len, device=device).tril().bool()


def future_block(seq_len: int, device=None) -> torch.Tensor:
    """(T, T) bool, True where key j lies in the future of query i."""
    return torch.ones(seq_len, seq_len, device=device).triu(1) == 1


def padding_from_tokenizer(attention_mask: torch.Tensor) -> torch.Tensor:
    """Tokenizer mask (1 = token) as bool."""
    return attention_mask.bool()
