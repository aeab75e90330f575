import torch


def sequence_mask(lengths, max_len=None):
    max_len = max_len or int(lengths.max())
    steps = torch.arange(max_len, device=lengths.device)
    return steps.unsqueeze(0) < lengths.unsqueeze(1)


def subsample_lengths(lengths, factor=4):
    return torch.div(lengths + factor - 1, factor, rounding_mode="floor")
