"""Finish-time predictor from triathlon timing splits.

Splits: swim exit, T1, bike 20/40/60/90K, T2, run 5/10/15K. Athletes still on
course have only the first few splits recorded; the rest are padded.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPLIT_NAMES = ("swim", "t1", "bike20", "bike40", "bike60", "bike90", "t2", "run5", "run10", "run15")


class SplitAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, recorded):
        B, S, D = x.shape
        q = self.q(x).view(B, S, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=recorded[:, None, None, :])
        return self.o(y.transpose(1, 2).reshape(B, S, D))


class TriFinishModel(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.split = nn.Embedding(len(SPLIT_NAMES), d)
        self.t = nn.Linear(2, d)
        self.attn = SplitAttention(d, heads)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 1)

    def forward(self, elapsed_min, recorded):
        seg = torch.diff(elapsed_min, dim=1, prepend=torch.zeros_like(elapsed_min[:, :1]))
        ids = torch.arange(len(SPLIT_NAMES), device=elapsed_min.device)
        h = self.split(ids)[None] + self.t(torch.stack([elapsed_min / 60, seg / 60], -1))
        h = self.norm(h + self.attn(h, recorded))
        last = recorded.long().sum(1) - 1
        rows = torch.arange(h.size(0), device=h.device)
        return elapsed_min[rows, last] + F.softplus(self.head(h[rows, last])).squeeze(-1) * 60


if __name__ == "__main__":
    torch.manual_seed(0)
    n_rec = torch.tensor([10, 4, 7])
    recorded = torch.arange(len(SPLIT_NAMES))[None] < n_rec[:, None]
    elapsed = torch.cumsum(torch.rand(3, len(SPLIT_NAMES)) * 30 + 5, dim=1) * recorded
    model = TriFinishModel()
    pred = model(elapsed, recorded)
    F.l1_loss(pred, torch.tensor([290.0, 310.0, 275.0])).backward()
    print(pred)
