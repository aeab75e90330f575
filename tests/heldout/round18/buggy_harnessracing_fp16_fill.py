"""Finishing-position model for harness (trotting) races.

Each horse in a race card is described by its last starts (time, post position,
driver, track condition, break in gait). A horse has up to ``MAX_STARTS`` past
starts; first-time starters have few or none, padded on the right.
The serving path converts the model to half precision to fit big race cards
on the inference box.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_STARTS = 10


class StartAttention(nn.Module):
    """Plain scaled dot-product attention over a horse's past starts."""

    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.dk = dim // heads
        self.wq = nn.Linear(dim, dim)
        self.wk = nn.Linear(dim, dim)
        self.wv = nn.Linear(dim, dim)
        self.wo = nn.Linear(dim, dim)

    def forward(self, x, has_start):
        n, s, _ = x.shape
        q = self.wq(x).view(n, s, self.h, self.dk).transpose(1, 2)
        k = self.wk(x).view(n, s, self.h, self.dk).transpose(1, 2)
        v = self.wv(x).view(n, s, self.h, self.dk).transpose(1, 2)
        scores = q @ k.transpose(-2, -1) / self.dk ** 0.5
        scores = scores.masked_fill(~has_start[:, None, None, :], -1e9)  # BUG: -1e9 fill does not fit in float16 scores
        p = F.softmax(scores, dim=-1)
        return self.wo((p @ v).transpose(1, 2).reshape(n, s, -1))


class RaceCardModel(nn.Module):
    def __init__(self, n_feat=8, dim=32, heads=4):
        super().__init__()
        self.proj = nn.Linear(n_feat, dim)
        self.attn = StartAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.rank_head = nn.Linear(dim, 1)

    def forward(self, starts, has_start):
        # starts: (horses, MAX_STARTS, n_feat); first slot is always today's entry
        h = self.proj(starts)
        h = self.norm(h + self.attn(h, has_start))
        return self.rank_head(h[:, 0]).squeeze(-1)


@torch.no_grad()
def predict_card(model, starts, has_start, half=False):
    model.eval()
    if half:
        model = model.half()
        starts = starts.half()
    strength = model(starts, has_start).float()
    return strength.argsort(descending=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    horses = 9
    starts = torch.randn(horses, MAX_STARTS, 8)
    n_prev = torch.tensor([10, 7, 3, 0, 10, 5, 1, 10, 2])
    has_start = torch.arange(MAX_STARTS)[None] <= n_prev[:, None]
    model = RaceCardModel()
    print(predict_card(model, starts, has_start))
