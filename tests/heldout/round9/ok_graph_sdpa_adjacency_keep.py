"""Molecular-property graph transformer: dense adjacency (with self loops) is used directly
as an SDPA keep mask (True = may attend)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AdjacencyAttention(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, adj):
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        adj = adj | torch.eye(N, dtype=torch.bool)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=adj[:, None])
        return y.transpose(1, 2).reshape(B, N, D)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = AdjacencyAttention()
    x = torch.randn(1, 5, 16)
    adj = torch.zeros(1, 5, 5, dtype=torch.bool)
    for i, j in [(0, 1), (1, 2), (2, 3), (3, 4)]:
        adj[0, i, j] = adj[0, j, i] = True
    a = layer(x, adj)
    x2 = x.clone()
    x2[0, 4] += 5
    b = layer(x2, adj)
    assert torch.allclose(a[0, :3], b[0, :3], atol=1e-6), "non-neighbour leaked"
    assert not torch.allclose(a[0, 3], b[0, 3]), "neighbour ignored"
    print("OK: atoms only see bonded neighbours")
