"""Mask helpers.  Everything here follows nn.Transformer's convention:
a True entry marks a position that attention has to skip."""
import torch


def stop_padding(stop_types: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(N, S) stop-type ids -> (N, S) bool, True on the padded stop slots."""
    return stop_types.eq(pad_id)


def visit_order_mask(n: int, device=None) -> torch.Tensor:
    """(n, n) bool, True above the diagonal: visit t may not look at visits after t."""
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)
