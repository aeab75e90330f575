import torch


def segment_block_mask(segment_ids: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """(N, S) segment ids (0 = query, k = k-th passage), (N, S) bool valid -> (N, S, S) bool.

    True = blocked (nn.MultiheadAttention convention).
    """
    q_seg = segment_ids[:, :, None]
    k_seg = segment_ids[:, None, :]
    allowed = (k_seg == 0) | (q_seg == 0) | (q_seg == k_seg)
    allowed &= valid[:, None, :]
    allowed |= torch.eye(segment_ids.size(1), dtype=torch.bool, device=segment_ids.device)
    return ~allowed


def per_head(mask: torch.Tensor, heads: int) -> torch.Tensor:
    """(N, L, S) -> (N * heads, L, S) for nn.MultiheadAttention."""
    return torch.cat([mask] * heads, dim=0)
