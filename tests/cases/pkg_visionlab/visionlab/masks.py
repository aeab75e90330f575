import torch


def mask_from_image_sizes(sizes, height: int, width: int, device=None) -> torch.Tensor:
    """(N, H, W) bool, True on the zero padding added to batch images of different sizes."""
    mask = torch.ones(len(sizes), height, width, dtype=torch.bool, device=device)
    for i, (h, w) in enumerate(sizes):
        mask[i, :h, :w] = False
    return mask


def expand_per_head(mask: torch.Tensor, num_heads: int) -> torch.Tensor:
    """(N, L, S) -> (N * num_heads, L, S) for nn.MultiheadAttention."""
    return mask.repeat(num_heads, 1, 1)
