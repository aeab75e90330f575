"""Attention masks for scan sequences."""
import torch


def causal_bias(n: int, dtype=torch.float32, device=None) -> torch.Tensor:
    """Additive (n, n) bias that hides later scans."""
    return torch.full((n, n), -1e9, dtype=dtype, device=device).triu(1)  # BUG: -1e9 cannot be represented in float16


def padding_bias(valid: torch.Tensor, dtype=torch.float32) -> torch.Tensor:
    """valid: (B, T) bool -> additive (B, 1, 1, T)."""
    bias = torch.zeros(valid.shape, dtype=dtype, device=valid.device)
    return bias.masked_fill(~valid, torch.finfo(dtype).min)[:, None, None, :]


def key_keep(valid: torch.Tensor) -> torch.Tensor:
    """valid: (B, S) bool -> (B, 1, 1, S), True = may attend (SDPA convention)."""
    return valid[:, None, None, :]
