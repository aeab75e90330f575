from typing import List, NamedTuple

import torch

PAD, BOS, EOS = 0, 1, 2


class LabelBatch(NamedTuple):
    src: torch.Tensor       # (batch, S) transcribed label tokens
    tgt_in: torch.Tensor    # (batch, T) Darwin Core tokens, shifted right
    tgt_out: torch.Tensor   # (batch, T)
    src_pad: torch.Tensor   # (batch, S) bool, True at padding
    tgt_pad: torch.Tensor   # (batch, T) bool, True at padding


def _pad(seqs: List[List[int]]):
    width = max(map(len, seqs))
    out = torch.full((len(seqs), width), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return out


def make_batch(pairs):
    """pairs: list of (label_ids, dwc_ids) without BOS/EOS."""
    src = _pad([p[0] for p in pairs])
    tgt_in = _pad([[BOS] + p[1] for p in pairs])
    tgt_out = _pad([p[1] + [EOS] for p in pairs])
    return LabelBatch(src, tgt_in, tgt_out, src.eq(PAD), tgt_in.eq(PAD))
