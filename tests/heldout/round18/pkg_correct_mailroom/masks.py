"""Attention masks for routing-scan sequences."""
import torch


def causal_bias(n: int, dtype=torch.float32, device=None) -> torch.Tensor:
    """Additive (n, n) bias that hides later scans; uses the dtype's own minimum."""
    later = torch.ones(n, n, dtype=torch.bool, device=device).triu(1)
    return torch.zeros(n, n, dtype=dtype, device=device).masked_fill(later, torch.finfo(dtype).min)


def padding_bias(valid: torch.Tensor, dtype=torch.float32) -> torch.Tensor:
    """valid: (B, T) bool -> additive (B, 1, 1, T)."""
    bias = torch.zeros(valid.shape, dtype=dtype, device=valid.device)
    return bias.masked_fill(~valid, torch.finfo(dtype).min)[:, None, None, :]


def combine(*biases: torch.Tensor) -> torch.Tensor:
    """Sum additive biases without overflowing to -inf."""
    out = biases[0]
    for b in biases[1:]:
        out = out + b
    return out.clamp(min=torch.finfo(out.dtype).min)


def key_keep(valid: torch.Tensor) -> torch.Tensor:
    """valid: (B, S) bool -> (B, 1, 1, S), True = may attend (SDPA convention)."""
    return valid[:, None, None, :]
