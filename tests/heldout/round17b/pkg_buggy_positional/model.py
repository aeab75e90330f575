"""Vehicle-count forecaster: next 5-minute count per detector loop."""
import torch
from torch import nn

from .blocks import TemporalBlock, future_mask, missing_mask


class FlowForecaster(nn.Module):
    def __init__(self, n_detectors=32, dim=48, heads=4, depth=2, max_steps=288):
        super().__init__()
        self.detector = nn.Embedding(n_detectors, dim)
        self.value = nn.Linear(2, dim)
        self.step = nn.Embedding(max_steps, dim)
        self.blocks = nn.ModuleList(TemporalBlock(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, 1)

    def forward(self, counts, detector_ids, step_of_day):
        missing = missing_mask(counts)
        filled = torch.nan_to_num(counts) / 100.0
        x = self.value(torch.stack([filled, missing.float()], -1))
        x = x + self.detector(detector_ids)[:, None] + self.step(step_of_day)
        causal = future_mask(counts.size(1), counts.device)
        h = x
        for blk in self.blocks:
            h = blk(h, causal, missing)  # expect: ML501
        return 100.0 * nn.functional.softplus(self.head(h)).squeeze(-1)


def make_day(n_loops=6, steps=24, seed=0):
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(steps, dtype=torch.float32)
    counts = 60 + 40 * torch.sin(t / 4)[None] + 5 * torch.randn(n_loops, steps, generator=g)
    counts[torch.rand(n_loops, steps, generator=g) < 0.08] = float("nan")
    return counts, torch.arange(n_loops), torch.arange(steps).expand(n_loops, -1)


def fit(model, counts, ids, steps, epochs=5):
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    target = counts[:, 1:]
    seen = ~torch.isnan(target)
    for _ in range(epochs):
        pred = model(counts[:, :-1], ids, steps[:, :-1])
        loss = ((pred - torch.nan_to_num(target)) ** 2)[seen].mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()
