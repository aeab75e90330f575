# EXPECT: bug
"""DIN-style target attention over a user's click history, run in bfloat16.

History slots are right-padded; clicks older than the recency window are also masked.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_ITEMS, PAD = 50, 0
WINDOW_DAYS = 30.0


def additive(blocked: torch.Tensor, dtype) -> torch.Tensor:
    return blocked.to(dtype) * torch.finfo(dtype).min


class TargetAttention(nn.Module):
    def __init__(self, d=16, p=0.1):
        super().__init__()
        self.item = nn.Embedding(N_ITEMS, d, padding_idx=PAD)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.drop = nn.Dropout(p)
        self.mlp = nn.Sequential(nn.Linear(2 * d, d), nn.ReLU(), nn.Dropout(p), nn.Linear(d, 1))

    def forward(self, history, age_days, candidate):
        h = self.item(history)                     # (N, S, d)
        c = self.item(candidate)                   # (N, d)
        scores = torch.einsum("nd,nsd->ns", self.q(c), self.k(h)) / h.size(-1) ** 0.5
        bias = additive(history == PAD, h.dtype) + additive(age_days > WINDOW_DAYS, h.dtype)
        attn = torch.softmax(scores + bias, dim=-1)  # BUG-SITE
        interest = torch.einsum("ns,nsd->nd", self.drop(attn), h)
        return self.mlp(torch.cat([interest, c], -1)).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = TargetAttention().to(torch.bfloat16)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    history = torch.tensor([[3, 7, 9, 2, 11], [5, 8, 0, 0, 0], [0, 0, 0, 0, 0]])  # last user: cold start
    age_days = torch.tensor([[1.0, 3, 12, 40, 2], [5, 9, 0, 0, 0], [0, 0, 0, 0, 0]])
    age_days = torch.where(history == PAD, torch.tensor(1e4), age_days)  # empty slots are "infinitely old"
    candidate = torch.tensor([4, 8, 13])
    clicked = torch.tensor([1.0, 0.0, 1.0], dtype=torch.bfloat16)

    model.train()
    loss = F.binary_cross_entropy_with_logits(model(history, age_days, candidate), clicked)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        ctr = torch.sigmoid(model(history, age_days, candidate)).float()
    return [loss.detach().float(), ctr]
