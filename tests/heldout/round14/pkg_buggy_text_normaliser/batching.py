from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

import torch

PAD, BOS, EOS = 0, 1, 2


class CharVocab:
    def __init__(self, texts: Sequence[str]):
        self.itos = ["<pad>", "<s>", "</s>"] + sorted({c for t in texts for c in t})
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> List[int]:
        return [BOS] + [self.stoi[c] for c in text] + [EOS]


@dataclass(frozen=True)
class NormBatch:
    src: torch.Tensor       # (B, L) written form
    tgt: torch.Tensor       # (B, L) spoken form
    src_pad: torch.Tensor   # (B, L) True at padding
    tgt_pad: torch.Tensor   # (B, L) True at padding


def _pad_to(rows: List[List[int]], width: int) -> torch.Tensor:
    return torch.tensor([r[:width] + [PAD] * (width - len(r[:width])) for r in rows])


def make_batch(pairs: Sequence[Tuple[str, str]], vocab: CharVocab, width: int = 48) -> NormBatch:
    src = _pad_to([vocab.encode(w) for w, _ in pairs], width)
    tgt = _pad_to([vocab.encode(s) for _, s in pairs], width)
    return NormBatch(src, tgt, src.eq(PAD), tgt.eq(PAD))
