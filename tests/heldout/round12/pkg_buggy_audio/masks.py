"""Chunked streaming masks for variable-length utterances.

Frames are grouped into chunks of `chunk` frames; a frame may read every frame
of its own chunk and of earlier chunks, and nothing past the end of its
utterance.  Returned masks are bool, True = blocked (MultiheadAttention style).
"""
import torch


def chunk_ids(max_len: int, chunk: int, device=None) -> torch.Tensor:
    return torch.div(torch.arange(max_len, device=device), chunk, rounding_mode="floor")


def streaming_mask(lengths: torch.Tensor, max_len: int, chunk: int) -> torch.Tensor:
    """(N,) lengths -> (N, L, L) bool."""
    cid = chunk_ids(max_len, chunk, lengths.device)
    ahead = cid.view(1, -1, 1) < cid.view(1, 1, -1)                 # key chunk is later
    past_end = torch.arange(max_len, device=lengths.device).view(1, 1, -1) >= lengths.view(-1, 1, 1)
    blocked = ahead | past_end
    # frames past the end still need one key, or their rows become NaN
    blocked[:, :, 0] = False
    return blocked
