import torch


def future_mask(size, device=None):
    return torch.triu(torch.ones(size, size, device=device), diagonal=0).bool()  # expect: ML404


def lengths_to_padding(lengths, max_len):
    return torch.arange(max_len, device=lengths.device)[None] >= lengths[:, None]
