import torch


def make_pad_mask(lengths: torch.Tensor, maxlen: int | None = None) -> torch.Tensor:
    """(B,) lengths -> (B, T) with True at padded frames."""
    maxlen = int(lengths.max()) if maxlen is None else maxlen
    seq = torch.arange(maxlen, device=lengths.device)
    return seq.unsqueeze(0) >= lengths.unsqueeze(1)
