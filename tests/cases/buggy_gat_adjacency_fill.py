import torch
import torch.nn as nn


class DenseGraphAttention(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.w = nn.Linear(d_in, d_out, bias=False)
        self.a = nn.Linear(2 * d_out, 1, bias=False)

    def forward(self, x, adj):
        h = self.w(x)
        n = h.size(1)
        pairs = torch.cat([h.unsqueeze(2).expand(-1, -1, n, -1), h.unsqueeze(1).expand(-1, n, -1, -1)], dim=-1)
        e = torch.nn.functional.leaky_relu(self.a(pairs).squeeze(-1), 0.2)
        e = e.masked_fill(adj, float("-inf"))  # expect: ML101
        return torch.softmax(e, dim=-1) @ h
