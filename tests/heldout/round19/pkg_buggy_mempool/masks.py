import torch


def arrival_visibility(arrival_ms: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Bool (B, 1, T, T) mask for SDPA, True = may attend.

    A transaction can only look at transactions that had reached the node when it arrived,
    and never at padding slots.
    """
    seen = arrival_ms[:, None, :] <= arrival_ms[:, :, None]
    real = valid[:, None, :]
    return (seen | real).unsqueeze(1)  # BUG: `|` keeps a key if it is real OR already seen: later transactions stay visible (and padding too); both conditions must hold (&)
