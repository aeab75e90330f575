"""Mask helpers shared by the tram models (MultiheadAttention convention: True = blocked)."""
import torch


def future_block(n: int, device=None) -> torch.Tensor:
    """(n, n) bool, True where event j is later than event i."""
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)


def padding(tokens: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(B, T) bool, True at padding positions."""
    return tokens == pad_id
