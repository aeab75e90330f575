"""Finish-time predictor from marathon timing-mat splits.

Timing mats record a runner's elapsed time at 5K, 10K, ..., 40K. Runners who
are still on course have only their first few splits, so split sequences are
right-padded and ``seen`` marks the recorded ones.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPLITS_KM = (5, 10, 15, 20, 21.1, 25, 30, 35, 40)


class SplitAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, seen):
        B, S, D = x.shape
        q = self.q(x).view(B, S, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=seen)  # BUG: (B, S) mask passed to SDPA without [:, None, None, :]
        return self.o(y.transpose(1, 2).reshape(B, S, D))


class FinishTimeModel(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.split_in = nn.Linear(3, d)  # elapsed min, pace of segment, km mark
        self.attn = SplitAttention(d, heads)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 1)

    def forward(self, elapsed, seen):
        km = torch.tensor(SPLITS_KM, dtype=elapsed.dtype, device=elapsed.device).expand_as(elapsed)
        seg = torch.diff(elapsed, dim=1, prepend=torch.zeros_like(elapsed[:, :1]))
        seg_km = torch.diff(km, dim=1, prepend=torch.zeros_like(km[:, :1]))
        feats = torch.stack([elapsed / 60.0, seg / seg_km, km / 42.195], dim=-1)
        h = self.split_in(feats)
        h = self.norm(h + self.attn(h, seen))
        last = seen.long().sum(1) - 1
        return elapsed[torch.arange(len(last)), last] + F.softplus(self.head(h[torch.arange(len(last)), last])).squeeze(-1) * 60


@torch.no_grad()
def live_prediction(model, runner_splits):
    """Used by the tracking app: one runner at a time, splits recorded so far (minutes)."""
    elapsed = torch.zeros(1, len(SPLITS_KM))
    elapsed[0, : len(runner_splits)] = torch.tensor(runner_splits)
    seen = torch.zeros(1, len(SPLITS_KM), dtype=torch.bool)
    seen[0, : len(runner_splits)] = True
    return float(model(elapsed, seen))


def train_batch(model, opt, elapsed, seen, finish):
    pred = model(elapsed, seen)
    loss = F.l1_loss(pred, finish)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FinishTimeModel()
    print(live_prediction(model, [24.1, 48.5, 73.3, 98.0]))
