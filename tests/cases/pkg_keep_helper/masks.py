"""Mask helpers shared by the models of this package (written for SDPA: True = attend)."""
import torch


def causal_keep_mask(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))


def padding_keep_mask(ids, pad_id):
    return ids != pad_id
