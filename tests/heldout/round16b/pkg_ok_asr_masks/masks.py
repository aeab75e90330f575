import torch


def make_pad_mask(lengths, max_len=None):
    max_len = max_len or int(lengths.max())
    seq_range = torch.arange(max_len, device=lengths.device).unsqueeze(0)
    return seq_range >= lengths.unsqueeze(1)


def make_non_pad_mask(lengths, max_len=None):
    return ~make_pad_mask(lengths, max_len)
