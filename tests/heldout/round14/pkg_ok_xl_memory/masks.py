import torch


def dec_attn_mask(qlen: int, mlen: int, device=None) -> torch.Tensor:
    """(qlen, mlen + qlen) bool, True = not attended: query i sees all memory and segment keys <= i."""
    ones = torch.ones(qlen, mlen + qlen, dtype=torch.bool, device=device)
    return torch.triu(ones, diagonal=1 + mlen)
