from dataclasses import dataclass
from typing import List, Tuple

import torch

PAD, SOS, EOS = 0, 1, 2


@dataclass
class LipBatch:
    frames: torch.Tensor        # (B, S, F) per-frame visual features
    frame_pad: torch.Tensor     # (B, S) True where the clip is shorter than S
    text_in: torch.Tensor       # (B, T) decoder input (starts with SOS)
    text_out: torch.Tensor      # (B, T) decoder target (ends with EOS)
    text_pad: torch.Tensor      # (B, T) True at padding positions of text_in


def collate(items: List[Tuple[torch.Tensor, List[int]]]) -> LipBatch:
    S = max(f.size(0) for f, _ in items)
    Fdim = items[0][0].size(1)
    frames = torch.zeros(len(items), S, Fdim)
    frame_pad = torch.ones(len(items), S, dtype=torch.bool)
    for i, (f, _) in enumerate(items):
        frames[i, : f.size(0)] = f
        frame_pad[i, : f.size(0)] = False
    seqs = [[SOS] + t + [EOS] for _, t in items]
    T = max(map(len, seqs))
    text = torch.tensor([s + [PAD] * (T - len(s)) for s in seqs])
    return LipBatch(frames, frame_pad, text[:, :-1], text[:, 1:], text[:, :-1].eq(PAD))
