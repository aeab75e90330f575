"""Mask construction for the translation model, returned as one tuple."""
import torch


def subsequent_mask(size, device=None):
    return torch.triu(torch.full((size, size), float("-inf"), device=device), diagonal=1)


def create_masks(src, tgt, pad_id):
    """src: (N, S), tgt: (N, T) token ids."""
    tgt_mask = subsequent_mask(tgt.size(1), tgt.device)
    src_valid = src != pad_id
    tgt_valid = tgt != pad_id
    return tgt_mask, src_valid, tgt_valid
