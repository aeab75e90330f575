import torch


def random_visible(n_images, n_patches, keep_ratio, generator=None):
    """Per-image random visible subsets. Returns index (N, K) and a (N, K) bool, True = real slot.

    Images drop different numbers of patches (tissue-aware masking), so K is the max kept
    and shorter rows are padded.
    """
    keep_counts = (torch.rand(n_images, generator=generator) * 0.2 + keep_ratio) * n_patches
    keep_counts = keep_counts.long().clamp(min=1)
    K = int(keep_counts.max())
    order = torch.rand(n_images, n_patches, generator=generator).argsort(dim=1)[:, :K]
    slot_is_real = torch.arange(K)[None, :] < keep_counts[:, None]
    return order, slot_is_real
