import torch


def lengths_to_padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """True at padded frames (fairseq / torchaudio convention)."""
    return torch.arange(max_len, device=lengths.device).expand(lengths.numel(), max_len) >= lengths[:, None]
