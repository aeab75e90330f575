import torch

from .data import PAD


def key_padding(ids: torch.Tensor) -> torch.Tensor:
    """(B, S) bool, True at PAD: the nn.Transformer convention."""
    return ids.eq(PAD)


def causal(size: int, device=None) -> torch.Tensor:
    return torch.triu(torch.ones(size, size, dtype=torch.bool, device=device), diagonal=1)
