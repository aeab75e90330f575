import torch

from .vocab import PAD


def padding_mask(ids):
    return ids == PAD


def future_mask(size, device=None):
    return torch.triu(torch.ones(size, size, dtype=torch.bool, device=device), diagonal=1)
