import torch


def future_mask(n, device=None):
    """True above the diagonal: the positions a token may not look at."""
    return torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), diagonal=1)


def description_padding(desc_ids, pad_id=0):
    return desc_ids == pad_id
