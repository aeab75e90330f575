from typing import List, NamedTuple, Tuple

import torch

PAD, BOS, EOS = 0, 1, 2


class Batch(NamedTuple):
    src: torch.Tensor       # (B, S)
    tgt_in: torch.Tensor    # (B, T)
    tgt_out: torch.Tensor   # (B, T)
    src_pad: torch.Tensor   # (B, S) True at padding
    tgt_pad: torch.Tensor   # (B, T) True at padding


def _pad(rows: List[List[int]]) -> torch.Tensor:
    L = max(map(len, rows))
    return torch.tensor([r + [PAD] * (L - len(r)) for r in rows])


def make_batch(pairs: List[Tuple[str, str]]) -> Batch:
    src = _pad([[3 + (ord(c) % 60) for c in s] + [EOS] for s, _ in pairs])
    tgt = _pad([[BOS] + [3 + (ord(c) % 60) for c in t] + [EOS] for _, t in pairs])
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    return Batch(src, tgt_in, tgt_out, src.eq(PAD), tgt_in.eq(PAD))
