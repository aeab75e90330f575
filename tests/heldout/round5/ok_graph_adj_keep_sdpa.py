"""Graph attention over padded batches of molecules: adjacency (with self loops) is a bool keep
mask for SDPA; padded nodes only see themselves so no row is empty."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def dense_adjacency(edge_lists, n_max):
    adj = torch.eye(n_max, dtype=torch.bool).repeat(len(edge_lists), 1, 1)
    for b, edges in enumerate(edge_lists):
        for i, j in edges:
            adj[b, i, j] = adj[b, j, i] = True
    return adj


class GATLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x, adj):
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=adj.unsqueeze(1))
        return x + self.o(y.transpose(1, 2).reshape(B, N, D))


if __name__ == "__main__":
    adj = dense_adjacency([[(0, 1), (1, 2)], [(0, 1)]], 4)
    x = torch.randn(2, 4, 32)
    y = GATLayer()(x, adj)
    print(y.shape, torch.isfinite(y).all().item())
