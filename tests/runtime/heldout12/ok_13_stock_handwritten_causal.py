# EXPECT: ok
"""Hand-written causal attention for next-day return prediction."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class ReturnAttention(nn.Module):
    def __init__(self, d=16, p=0.1):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.drop = nn.Dropout(p)

    def forward(self, x):
        T = x.size(1)
        scores = self.q(x) @ self.k(x).transpose(-1, -2) / math.sqrt(x.size(-1))
        no_peek = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        weights = torch.where(no_peek, float("-inf"), scores).softmax(dim=-1)
        return self.drop(weights) @ self.v(x)


class ReturnModel(nn.Module):
    def __init__(self, n_feat=4, d=16):
        super().__init__()
        self.inp = nn.Linear(n_feat, d)
        self.att = ReturnAttention(d)
        self.out = nn.Linear(d, 1)

    def forward(self, x):
        h = self.inp(x)
        return self.out(h + self.att(h)).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = ReturnModel()
    opt = torch.optim.SGD(model.parameters(), lr=1e-2)
    prices = torch.randn(4, 11, 4)
    x, y = prices[:, :-1], prices[:, 1:, 0]

    model.train()
    loss = F.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        pred = model(x)
    return [loss.detach(), pred]
