"""Mask helpers shared by the interlocking models."""
import torch


def causal_keep(n: int, device=None) -> torch.Tensor:
    """(n, n) bool, True where event i may look at event j (j <= i)."""
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def padding(tokens: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(B, T) bool, True at padding positions."""
    return tokens == pad_id
