"""Day-ahead electricity load forecasting for a distribution substation.

Encoder: the previous 24 hourly readings (load, temperature, hour, weekday).
Decoder: teacher-forced on the next 24 hours of load, autoregressive at
inference.  Context and horizon are both 24 steps.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

HOURS = 24


def hourly_features(load, temp, start_hour):
    hour = (start_hour[:, None] + torch.arange(load.size(1))) % 24
    angle = 2 * math.pi * hour / 24
    return torch.stack([load, temp, torch.sin(angle), torch.cos(angle)], dim=-1)


class LoadSeq2Seq(nn.Module):
    def __init__(self, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.enc_in = nn.Linear(4, d_model)
        self.dec_in = nn.Linear(1, d_model)
        self.pos = nn.Parameter(torch.randn(2 * HOURS, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, dropout=0.1)
        self.out = nn.Linear(d_model, 1)

    def forward(self, context, prev_load):
        """context (B, 24, 4); prev_load (B, T, 1) = last observed load + shifted targets."""
        src = (self.enc_in(context) + self.pos[:HOURS]).transpose(0, 1)                 # (S, B, E)
        tgt = (self.dec_in(prev_load) + self.pos[: prev_load.size(1)]).transpose(0, 1)  # (T, B, E)
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0))
        h = self.transformer(src, tgt, tgt_mask)  # expect: ML501
        return self.out(h).transpose(0, 1).squeeze(-1)

    @torch.no_grad()
    def forecast(self, context):
        # fixed-size decoder buffer keeps shapes static for the exported graph
        prev = torch.zeros(context.size(0), HOURS, 1)
        prev[:, 0] = context[:, -1, :1]
        for h in range(HOURS):
            step = self(context, prev)[:, h]
            if h + 1 < HOURS:
                prev[:, h + 1, 0] = step
            else:
                last = step
        return torch.cat([prev[:, 1:, 0], last[:, None]], dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    days = 4
    t = torch.arange(2 * HOURS, dtype=torch.float)
    load = 1.0 + 0.3 * torch.sin(2 * math.pi * (t - 7) / 24) + 0.05 * torch.randn(days, 2 * HOURS)
    temp = 15 + 5 * torch.sin(2 * math.pi * (t - 14) / 24).expand(days, -1)
    feats = hourly_features(load, temp / 30, torch.zeros(days, dtype=torch.long))
    context, target = feats[:, :HOURS], load[:, HOURS:]
    prev_load = torch.cat([context[:, -1:, :1], target[:, :-1, None]], dim=1)
    model = LoadSeq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = F.mse_loss(model(context, prev_load), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("teacher-forced mse", round(loss.item(), 5))
    print("forecast shape", tuple(model.eval().forecast(context).shape))
