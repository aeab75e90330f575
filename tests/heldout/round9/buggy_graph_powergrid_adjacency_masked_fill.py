"""Power-grid state estimation with a sparse graph transformer: each bus attends only to
buses it is connected to (plus itself)."""
import math

import torch
import torch.nn as nn


def adjacency(edge_index, n):
    adj = torch.eye(n, dtype=torch.bool)
    adj[edge_index[0], edge_index[1]] = True
    adj[edge_index[1], edge_index[0]] = True
    return adj                                   # True = connected


class SparseGraphAttention(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x, edge_index):
        n = x.size(0)
        adj = adjacency(edge_index, n)
        q = self.q(x).view(n, self.h, self.dh).transpose(0, 1)
        k = self.k(x).view(n, self.h, self.dh).transpose(0, 1)
        v = self.v(x).view(n, self.h, self.dh).transpose(0, 1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        scores = scores.masked_fill(adj, float("-inf"))  # expect: ML101
        return (scores.softmax(-1) @ v).transpose(0, 1).reshape(n, -1)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = SparseGraphAttention()
    x = torch.randn(5, 16)
    edges = torch.tensor([[0, 1, 2, 3], [1, 2, 3, 4]])   # a line feeder 0-1-2-3-4
    a = layer(x, edges)
    x2 = x.clone()
    x2[4] = torch.randn(16) * 3                           # bus 4 is not connected to bus 0
    b = layer(x2, edges)
    print("FAILURE SHOWN: bus 0 reacts to unconnected bus 4, diff",
          f"{(a[0] - b[0]).abs().max().item():.3g}")
