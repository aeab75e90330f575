import torch


def lower_triangular(n, device=None):
    """(n, n) bool: entry (i, j) set when edge j is drawn no later than edge i."""
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()
