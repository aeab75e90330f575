"""Mask helpers shared by every attention implementation."""
import torch


def causal_mask(n: int, device=None) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)
