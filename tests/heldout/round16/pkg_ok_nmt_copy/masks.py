import torch


def pad_mask(ids, pad_id):
    return ids.eq(pad_id)


def subsequent_mask(n, device=None):
    return torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), diagonal=1)
