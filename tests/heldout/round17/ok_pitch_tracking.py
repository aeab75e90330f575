"""Pass-receiver prediction from player-tracking frames (visible-player masking)."""
from typing import NamedTuple

import torch
import torch.nn as nn


class TrackingFrame(NamedTuple):
    xy: torch.Tensor        # (batch, slots, 2)
    velocity: torch.Tensor  # (batch, slots, 2)
    team: torch.Tensor      # (batch, slots)
    present: torch.Tensor   # (batch, slots) bool, player visible

    @property
    def absent(self) -> torch.Tensor:
        return ~self.present


class PassReceiverNet(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(4, dim)
        self.team = nn.Embedding(3, dim)
        self.attn = nn.ModuleList(
            nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(layers)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.score = nn.Linear(dim, 1)

    def forward(self, frame: TrackingFrame):
        h = self.inp(torch.cat([frame.xy / 50.0, frame.velocity], -1)) + self.team(frame.team)
        for attn, norm in zip(self.attn, self.norms):
            ctx, _ = attn(h, h, h, key_padding_mask=frame.absent)
            h = norm(h + ctx)
        logits = self.score(h).squeeze(-1)
        return logits.masked_fill(frame.absent, float("-inf"))
