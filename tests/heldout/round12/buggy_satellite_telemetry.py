"""Reconstruction-based anomaly scoring for satellite housekeeping telemetry.

Passes over a ground station have different lengths, so each batch carries the
number of received frames per pass and a per-frame mask.
"""
from typing import List, NamedTuple

import torch
from torch import nn

CHANNELS = ("bus_voltage", "battery_temp", "wheel_rpm_x", "wheel_rpm_y", "wheel_rpm_z", "sun_angle")


class PassBatch(NamedTuple):
    frames: torch.Tensor      # (N, T, C) normalised readings
    lengths: torch.Tensor     # (N,)
    frame_mask: torch.Tensor  # (N, T) bool

    @classmethod
    def from_passes(cls, passes: List[torch.Tensor]) -> "PassBatch":
        lengths = torch.tensor([p.size(0) for p in passes])
        t = int(lengths.max())
        frames = torch.zeros(len(passes), t, passes[0].size(1))
        for i, p in enumerate(passes):
            frames[i, : p.size(0)] = p
        frame_mask = torch.arange(t)[None, :] < lengths[:, None]
        return cls(frames, lengths, frame_mask)


class TelemetryAutoencoder(nn.Module):
    def __init__(self, channels=len(CHANNELS), dim=32, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(channels, dim)
        self.pos = nn.Embedding(512, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.recon = nn.Linear(dim, channels)

    def forward(self, batch: PassBatch) -> torch.Tensor:
        t = batch.frames.size(1)
        x = self.inp(batch.frames) + self.pos(torch.arange(t))
        h = self.encoder(x, src_key_padding_mask=batch.frame_mask)  # expect: ML101
        return self.recon(h)

    def anomaly_scores(self, batch: PassBatch) -> torch.Tensor:
        err = (self(batch) - batch.frames).pow(2).mean(-1)
        return err.masked_fill(~batch.frame_mask, 0.0)


if __name__ == "__main__":
    torch.manual_seed(0)
    passes = [torch.randn(12, len(CHANNELS)), torch.randn(9, len(CHANNELS)), torch.randn(5, len(CHANNELS))]
    batch = PassBatch.from_passes(passes)
    model = TelemetryAutoencoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(2):
        err = (model(batch) - batch.frames).pow(2).mean(-1)
        loss = err[batch.frame_mask].mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("recon loss", round(loss.item(), 4))
    print("max score per pass", model.eval().anomaly_scores(batch).amax(-1).tolist())
