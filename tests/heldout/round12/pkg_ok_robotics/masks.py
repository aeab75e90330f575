"""Which robot may attend to which, per scene.

Returns bool (N, A, A) with True = hidden, the nn.MultiheadAttention polarity.
A robot always sees itself, so no row is ever fully hidden."""
import torch


def neighbourhood(positions: torch.Tensor, present: torch.Tensor, radius: float) -> torch.Tensor:
    """positions (N, A, 2), present (N, A) bool -> (N, A, A) bool."""
    dist = torch.cdist(positions, positions)
    hidden = (dist > radius) | ~present[:, None, :]
    eye = torch.eye(positions.size(1), dtype=torch.bool, device=positions.device)
    return hidden & ~eye
