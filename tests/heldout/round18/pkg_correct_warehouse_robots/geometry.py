import torch


def out_of_range(xy: torch.Tensor, radius_m: float) -> torch.Tensor:
    """xy: (B, N, 2) -> (B, N, N) bool, True where robot j is beyond robot i's sensing radius."""
    return torch.cdist(xy, xy) > radius_m


def per_head(mask: torch.Tensor, nhead: int) -> torch.Tensor:
    """(B, N, N) -> (B * nhead, N, N), sample-major as nn.MultiheadAttention expects."""
    return mask.repeat_interleave(nhead, dim=0)
