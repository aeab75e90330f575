import torch


def local_window(n: int, window: int, device=None) -> torch.Tensor:
    """(n, n) bool band: fix i relates to fixes i-window+1 .. i."""
    i = torch.arange(n, device=device)[:, None]
    j = torch.arange(n, device=device)[None, :]
    return (i - j >= 0) & (i - j < window)
