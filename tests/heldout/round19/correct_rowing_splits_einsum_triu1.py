"""Rowing ergometer split predictor: 500 m split times, stroke rate and heart rate per interval."""
import torch
from torch import nn


class IntervalAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.proj = nn.Linear(d, 3 * d, bias=False)
        self.merge = nn.Linear(d, d)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.proj(x).view(b, n, 3, self.h, d // self.h).unbind(2)
        logits = torch.einsum("bihe,bjhe->bhij", q, k) * (d // self.h) ** -0.5
        later = torch.ones(n, n, dtype=torch.bool, device=x.device).triu(diagonal=1)
        logits = logits.masked_fill(later, float("-inf"))
        out = torch.einsum("bhij,bjhe->bihe", logits.softmax(-1), v)
        return self.merge(out.reshape(b, n, d))


class SplitModel(nn.Module):
    def __init__(self, d=48, h=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(3, d)
        self.blocks = nn.ModuleList(IntervalAttention(d, h) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.out = nn.Linear(d, 1)

    def forward(self, feats):
        x = self.inp(feats)
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x))
        return self.out(x).squeeze(-1)


def normalise(split_s, rate, hr):
    return torch.stack([(split_s - 110.0) / 10.0, (rate - 24.0) / 4.0, (hr - 150.0) / 20.0], dim=-1)


if __name__ == "__main__":
    splits = 100 + 10 * torch.rand(4, 8)
    feats = normalise(splits, 20 + 8 * torch.rand(4, 8), 130 + 40 * torch.rand(4, 8))
    model = SplitModel()
    pred = model(feats[:, :-1])
    print(nn.functional.l1_loss(pred * 10 + 110, splits[:, 1:]))
