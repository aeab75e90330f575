"""Pass-receiver prediction from optical player-tracking frames.

A frame holds up to 22 outfield players plus the ball; players outside the
broadcast camera's view are absent and their slots are zero-filled.
"""
from typing import NamedTuple

import torch
import torch.nn as nn


class TrackingFrame(NamedTuple):
    xy: torch.Tensor        # (batch, slots, 2) pitch coordinates in metres
    velocity: torch.Tensor  # (batch, slots, 2)
    team: torch.Tensor      # (batch, slots) 0 = home, 1 = away, 2 = ball
    present: torch.Tensor   # (batch, slots) bool, player visible in this frame

    @classmethod
    def from_lists(cls, players, slots=23):
        b = len(players)
        xy = torch.zeros(b, slots, 2)
        vel = torch.zeros(b, slots, 2)
        team = torch.full((b, slots), 2, dtype=torch.long)
        present = torch.zeros(b, slots, dtype=torch.bool)
        for i, frame in enumerate(players):
            for j, (pos, v, side) in enumerate(frame):
                xy[i, j], vel[i, j], team[i, j] = torch.tensor(pos), torch.tensor(v), side
                present[i, j] = True
        return cls(xy, vel, team, present)


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
            ctx, _ = attn(h, h, h, key_padding_mask=frame.present)  # expect: ML101
            h = norm(h + ctx)
        logits = self.score(h).squeeze(-1)
        return logits.masked_fill(~frame.present, float("-inf"))


if __name__ == "__main__":
    f = TrackingFrame.from_lists([[((10.0, 5.0), (1.0, 0.0), 0), ((30.0, -4.0), (0.0, 1.0), 1)]])
    print(PassReceiverNet()(f))
