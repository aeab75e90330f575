from dataclasses import dataclass
from typing import List

import torch


@dataclass
class SessionBatch:
    item_ids: torch.Tensor        # (N, L) left-padded with 0
    attention_mask: torch.Tensor  # (N, L) 1 for a real interaction, 0 for padding
    target: torch.Tensor          # (N,)


def collate_sessions(sessions: List[List[int]], max_len: int = 20) -> SessionBatch:
    hist = [s[:-1][-max_len:] for s in sessions]
    L = max(len(h) for h in hist)
    ids = torch.zeros(len(sessions), L, dtype=torch.long)
    am = torch.zeros(len(sessions), L, dtype=torch.long)
    for i, h in enumerate(hist):
        ids[i, L - len(h):] = torch.tensor(h)
        am[i, L - len(h):] = 1
    return SessionBatch(ids, am, torch.tensor([s[-1] for s in sessions]))
