"""Mask helpers from the nn.MultiheadAttention era of this project (True = hidden)."""
import torch


def make_causal_mask(size, device=None):
    return torch.triu(torch.ones(size, size, dtype=torch.bool, device=device), diagonal=1)


def make_padding_mask(tokens, pad_id=0):
    return tokens == pad_id
