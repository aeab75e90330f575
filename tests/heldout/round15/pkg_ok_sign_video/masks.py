import torch


def local_temporal_mask(n_frames: torch.Tensor, T: int, radius: int) -> torch.Tensor:
    """(B, T, T) bool for nn.MultiheadAttention, True = blocked.

    A frame sees frames within ``radius`` of itself, restricted to the clip's real frames;
    padded frames see only themselves.
    """
    t = torch.arange(T, device=n_frames.device)
    near = (t[:, None] - t[None, :]).abs() <= radius
    real_key = t[None, :] < n_frames[:, None]
    allowed = near[None] & real_key[:, None, :]
    allowed |= torch.eye(T, dtype=torch.bool, device=n_frames.device)
    return ~allowed
