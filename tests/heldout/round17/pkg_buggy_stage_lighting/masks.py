import torch


def cue_order_mask(n, device=None):
    """Additive (n, n) mask: a cue may only look at cues already programmed."""
    return torch.full((n, n), float("-inf"), device=device).triu(1)
