import torch


def posted_before(posted_at, real):
    """SDPA-style bool mask (B, 1, T, T): True where entry i may read entry j."""
    earlier = posted_at.unsqueeze(1) <= posted_at.unsqueeze(2)
    mask = earlier & real.unsqueeze(1)
    mask.diagonal(dim1=1, dim2=2).fill_(True)
    return mask.unsqueeze(1)


def blocked_for_mha(posted_at, real, num_heads):
    """MultiheadAttention-style (B*H, T, T) mask: True = not allowed."""
    later = posted_at.unsqueeze(1) > posted_at.unsqueeze(2)
    blocked = later | ~real.unsqueeze(1)
    blocked.diagonal(dim1=1, dim2=2).zero_()
    return blocked.repeat_interleave(num_heads, dim=0)
