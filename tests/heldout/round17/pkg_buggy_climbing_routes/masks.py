import torch


def reach_window(n_holds, reach, device=None):
    """Bool (n, n), True where two holds are more than `reach` moves apart in the sequence."""
    idx = torch.arange(n_holds, device=device)
    return (idx[:, None] - idx[None, :]).abs() > reach
