"""Buggy: graph attention hides non-edges by setting their scores to 0 before the softmax
(masked_fill with 0.0, and torch.where with a tensor of zeros): they still weigh exp(0)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class GraphAttention(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)

    def forward(self, x, adj):
        scores = self.q(x) @ self.k(x).transpose(-1, -2) / 8 ** 0.5
        scores = scores.masked_fill(adj == 0, 0.0)  # expect: ML202
        return F.softmax(scores, dim=-1) @ x


def where_zeros(q, k, v, adj):
    e = q @ k.transpose(-1, -2)
    att = torch.where(adj > 0, e, torch.zeros_like(e))  # expect: ML202
    return F.softmax(att, dim=-1) @ v


def broadcast_zeros(q, k, v, adj_heads):
    e = q @ k.transpose(-1, -2)  # (B, 1, N, N): one score map for every head of the adjacency
    att = e.masked_fill(adj_heads == 0, 0.0)  # expect: ML202
    return F.softmax(att, dim=-1) @ v


def run():
    torch.manual_seed(0)
    m = GraphAttention().train()
    x = torch.randn(2, 5, 8)
    adj = (torch.rand(2, 5, 5) > 0.5).float() + torch.eye(5)
    out = m(x, adj)
    out.sum().backward()
    q, k, v = torch.randn(3, 2, 5, 8).unbind(0)
    heads = (torch.rand(2, 3, 5, 5) > 0.5).float() + torch.eye(5)
    return (out.detach(), where_zeros(q, k, v, adj), broadcast_zeros(q[:, None], k[:, None], v[:, None], heads))
