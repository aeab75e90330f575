"""Trap-to-finish model for greyhound race cards.

Each runner is described by its recent runs (sectional time, trap, grade,
track going, crowding at the first bend). Runners with fewer recorded runs are
right-padded. The serving path casts the model to float16.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_RUNS = 8


class RunAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.dk = dim // heads
        self.wqkv = nn.Linear(dim, 3 * dim)
        self.wo = nn.Linear(dim, dim)

    def forward(self, x, has_run):
        n, s, _ = x.shape
        q, k, v = self.wqkv(x).view(n, s, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / self.dk ** 0.5
        scores = scores.masked_fill(~has_run[:, None, None, :], torch.finfo(scores.dtype).min)
        p = F.softmax(scores, dim=-1)
        return self.wo((p @ v).transpose(1, 2).reshape(n, s, -1))


class TrapModel(nn.Module):
    def __init__(self, n_feat=7, dim=32, heads=4):
        super().__init__()
        self.proj = nn.Linear(n_feat, dim)
        self.attn = RunAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.strength = nn.Linear(dim, 1)

    def forward(self, runs, has_run):
        # slot 0 of every runner is today's entry (always present)
        h = self.proj(runs)
        h = self.norm(h + self.attn(h, has_run))
        return self.strength(h[:, 0]).squeeze(-1)


@torch.no_grad()
def rank_runners(model, runs, has_run, half=False):
    model.eval()
    if half:
        model, runs = model.half(), runs.half()
    return model(runs, has_run).float().argsort(descending=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    runs = torch.randn(6, MAX_RUNS, 7)
    n_prev = torch.tensor([7, 3, 0, 7, 1, 5])
    has_run = torch.arange(MAX_RUNS)[None] <= n_prev[:, None]
    model = TrapModel()
    print(rank_runners(model, runs, has_run), rank_runners(model, runs, has_run, half=True))
