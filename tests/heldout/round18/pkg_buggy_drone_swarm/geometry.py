import torch


def in_comm_range(positions: torch.Tensor, range_m: float) -> torch.Tensor:
    """positions: (B, N, 3) -> (B, N, N) bool, True where drone j's broadcast reaches drone i."""
    dist = torch.cdist(positions, positions)
    return dist <= range_m


def per_head(mask: torch.Tensor, nhead: int) -> torch.Tensor:
    """(B, N, N) -> (B * nhead, N, N), sample-major as nn.MultiheadAttention expects."""
    return mask.repeat_interleave(nhead, dim=0)
