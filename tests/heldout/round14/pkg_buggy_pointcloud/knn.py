import torch


def knn_exclusion_mask(xyz: torch.Tensor, k: int) -> torch.Tensor:
    """(B, N, 3) -> (B, N, N) bool, True for pairs outside each point's k nearest neighbours."""
    dist = torch.cdist(xyz, xyz)
    idx = dist.topk(k, dim=-1, largest=False).indices
    outside = torch.ones_like(dist, dtype=torch.bool)
    outside.scatter_(-1, idx, False)
    return outside
