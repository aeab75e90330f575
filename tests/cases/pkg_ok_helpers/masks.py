"""Helpers for both conventions, named after the API they are meant for."""
import torch


def mha_causal_mask(size, device=None):
    """For nn.MultiheadAttention / nn.Transformer*: True = hidden."""
    return torch.triu(torch.ones(size, size, dtype=torch.bool, device=device), diagonal=1)


def mha_padding_mask(tokens, pad_id=0):
    """(N, S), True on padding."""
    return tokens == pad_id


def sdpa_keep_mask(tokens, pad_id=0):
    """(N, 1, T, S) keep mask for scaled_dot_product_attention: causal and not padding."""
    T = tokens.size(1)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=tokens.device))
    return (tokens != pad_id)[:, None, None, :] & causal


def square_subsequent_mask(size, device=None):
    return torch.triu(torch.full((size, size), float("-inf"), device=device), diagonal=1)
