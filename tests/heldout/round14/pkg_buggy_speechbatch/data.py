"""Batching of filterbank features for speaker verification."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch


@dataclass
class SpeechBatch:
    feats: torch.Tensor        # (B, T, n_mels), zero padded
    frame_valid: torch.Tensor  # (B, T)
    lengths: torch.Tensor      # (B,)
    speaker: torch.Tensor      # (B,)

    def to(self, device) -> "SpeechBatch":
        return SpeechBatch(
            self.feats.to(device),
            self.frame_valid.to(device),
            self.lengths.to(device),
            self.speaker.to(device),
        )


def collate_utterances(items: Sequence[tuple[torch.Tensor, int]]) -> SpeechBatch:
    """items: (feats (T_i, n_mels), speaker_id) pairs of different lengths."""
    lengths = torch.tensor([f.shape[0] for f, _ in items])
    max_len = int(lengths.max())
    n_mels = items[0][0].shape[1]
    feats = torch.zeros(len(items), max_len, n_mels)
    for i, (f, _) in enumerate(items):
        feats[i, : f.shape[0]] = f
    frame_valid = torch.arange(max_len)[None, :] < lengths[:, None]
    speaker = torch.tensor([s for _, s in items])
    return SpeechBatch(feats, frame_valid, lengths, speaker)
