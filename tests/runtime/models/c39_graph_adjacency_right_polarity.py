"""Correct: the same graph attention with each API given the polarity it reads: the adjacency
(with self-loops) as is into SDPA, inverted into nn.MultiheadAttention, and an additive bias with
-inf off the edges."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class SpatialSDPA(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, adj):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = adj.bool() | torch.eye(n, dtype=torch.bool)
        y = F.scaled_dot_product_attention(q, k, v, keep, 0.1 if self.training else 0.0)
        bias = torch.where(keep, 0.0, float("-inf"))
        z = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return (y + z).transpose(1, 2).reshape(b, n, d)


class SpatialMHA(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)

    def forward(self, x, adjacency):
        adjacency = adjacency | torch.eye(x.size(1), dtype=torch.bool)
        return self.mha(x, x, x, attn_mask=~adjacency, need_weights=False)[0]


def run():
    torch.manual_seed(0)
    n = 6
    adj = torch.zeros(n, n, dtype=torch.bool)
    for i in range(n - 1):
        adj[i, i + 1] = adj[i + 1, i] = True
    x = torch.randn(2, n, 16)
    a, m = SpatialSDPA().train(), SpatialMHA().train()
    out = a(x, adj.float()) + m(x, adj)
    out.pow(2).mean().backward()
    with torch.no_grad():
        ev = a.eval()(x, adj.float()) + m.eval()(x, adj)
    return out.detach(), ev
