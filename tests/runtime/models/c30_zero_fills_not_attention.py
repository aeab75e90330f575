"""Correct: zero fills that are not attention masking (probabilities zeroed after the softmax
and renormalised, router logits of dropped experts set to 0 before a top-k, padded features)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class GraphAttention(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)

    def forward(self, x, adj, pad):
        scores = self.q(x) @ self.k(x).transpose(-1, -2) / 8 ** 0.5
        probs = F.softmax(scores.masked_fill(adj == 0, float("-inf")), dim=-1)
        probs = probs.masked_fill(adj == 0, 0.0)
        x = x.masked_fill(pad[..., None], 0.0)
        return probs @ x


def route(logits, dropped):
    logits = logits.masked_fill(dropped, 0.0)
    return logits.topk(2, dim=-1).indices


def run():
    torch.manual_seed(0)
    m = GraphAttention().train()
    x = torch.randn(2, 5, 8)
    adj = ((torch.rand(2, 5, 5) > 0.5).float() + torch.eye(5)) > 0
    pad = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
    out = m(x, adj, pad)
    out.sum().backward()
    router = torch.randn(2, 5, 4)
    return (out.detach(), route(router, torch.zeros(2, 5, 4, dtype=torch.bool)))
