"""Buggy: graph attention whose adjacency (True = an edge, self-loops added) reaches the attention
with the wrong polarity: inverted into SDPA (which attends where True), and as is into
nn.MultiheadAttention (which hides where True).  Every node attends only to its non-neighbours."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class SpatialSDPA(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, adj):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = adj.bool() | torch.eye(n, dtype=torch.bool)
        y = F.scaled_dot_product_attention(q, k, v, ~keep, 0.1 if self.training else 0.0)  # expect: ML102
        return y.transpose(1, 2).reshape(b, n, d)


class SpatialMHA(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)

    def forward(self, x, adjacency):
        adjacency = adjacency | torch.eye(x.size(1), dtype=torch.bool)
        return self.mha(x, x, x, attn_mask=adjacency, need_weights=False)[0]  # expect: ML101


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
