"""Batches carry their own masks, built once in __post_init__ (True = ignore)."""
from dataclasses import dataclass, field
from typing import List, Optional

import torch
from torch import nn

PAD, BOS, EOS = 0, 1, 2


@dataclass
class ClauseBatch:
    source: torch.Tensor                       # (N, S) legalese token ids
    target: Optional[torch.Tensor] = None      # (N, T) plain-language ids, BOS ... EOS
    source_padding: torch.Tensor = field(init=False)
    target_padding: Optional[torch.Tensor] = field(init=False, default=None)
    target_causal: Optional[torch.Tensor] = field(init=False, default=None)

    def __post_init__(self):
        self.source_padding = self.source == PAD
        if self.target is not None:
            t = self.target.size(1) - 1        # decoder input drops the last token
            self.target_padding = self.target[:, :-1] == PAD
            self.target_causal = nn.Transformer.generate_square_subsequent_mask(t, dtype=torch.bool)


def _pad(rows: List[List[int]]) -> torch.Tensor:
    out = torch.full((len(rows), max(map(len, rows))), PAD, dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r)
    return out


def collate(pairs) -> ClauseBatch:
    src, tgt = zip(*pairs)
    return ClauseBatch(_pad(list(src)), _pad([[BOS, *t, EOS] for t in tgt]))
