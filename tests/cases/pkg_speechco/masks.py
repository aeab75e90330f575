import torch


def lengths_to_padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """(N, S) bool, True on padded frames."""
    steps = torch.arange(max_len, device=lengths.device).expand(len(lengths), max_len)
    return steps >= lengths.unsqueeze(1)


def subsequent_mask(size: int, device=None) -> torch.Tensor:
    """(T, T) additive mask: -inf above the diagonal."""
    return torch.triu(torch.full((size, size), float("-inf"), device=device), diagonal=1)
