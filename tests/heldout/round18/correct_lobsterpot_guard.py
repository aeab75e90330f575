"""Catch estimator for lobster trap strings.

Each haul of a string (query) attends to the soak-time sensor readings of its
traps (bottom temperature, depth, door-open events). Some strings carry no
loggers, so a haul may have zero readings; those rows fall back to the haul's
own features.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LoggerCrossAttention(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)

    def forward(self, haul, readings, n_readings):
        B, R, d = readings.shape
        q = self.q(haul).view(B, 1, self.h, -1).transpose(1, 2)
        k, v = self.kv(readings).view(B, R, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        logits = q @ k.transpose(-1, -2) * (d // self.h) ** -0.5
        present = torch.arange(R, device=readings.device)[None, :] < n_readings[:, None]
        logits = logits.masked_fill(~present[:, None, None, :], torch.finfo(logits.dtype).min)
        w = logits.softmax(-1)
        w = torch.where(present.any(-1)[:, None, None, None], w, torch.zeros_like(w))  # no loggers -> no context
        return self.o((w @ v).transpose(1, 2).reshape(B, 1, d))


class TrapCatchModel(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.haul = nn.Linear(5, d)     # soak hours, depth, month sin/cos, bait type
        self.logger = nn.Linear(3, d)
        self.xattn = LoggerCrossAttention(d)
        self.norm = nn.LayerNorm(d)
        self.count = nn.Linear(d, 1)

    def forward(self, haul, readings, n_readings):
        h = self.haul(haul).unsqueeze(1)
        h = self.norm(h + self.xattn(h, self.logger(readings), n_readings))
        return F.softplus(self.count(h.squeeze(1))).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TrapCatchModel()
    n = torch.tensor([20, 0, 7])
    pred = model(torch.randn(3, 5), torch.randn(3, 20, 3), n)
    loss = F.poisson_nll_loss(pred, torch.tensor([14.0, 3.0, 8.0]), log_input=False)
    loss.backward()
    print(pred, float(loss), all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None))
