from dataclasses import dataclass

import torch
from torch.nn.utils.rnn import pad_sequence

PAD, BOS, EOS = 0, 1, 2


@dataclass
class NoteBatch:
    note_ids: torch.Tensor      # (B, S)
    note_pad: torch.Tensor      # (B, S) bool, True = padding
    summary_in: torch.Tensor    # (B, T)
    summary_out: torch.Tensor   # (B, T)
    summary_pad: torch.Tensor   # (B, T) bool, True = padding


def collate_notes(pairs):
    notes = pad_sequence([torch.tensor(n) for n, _ in pairs], batch_first=True, padding_value=PAD)
    summ = [torch.tensor([BOS] + s + [EOS]) for _, s in pairs]
    summ = pad_sequence(summ, batch_first=True, padding_value=PAD)
    return NoteBatch(
        note_ids=notes,
        note_pad=notes == PAD,
        summary_in=summ[:, :-1],
        summary_out=summ[:, 1:],
        summary_pad=summ[:, :-1] == PAD,
    )
