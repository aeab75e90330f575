import torch
import torch.nn as nn
import torch.nn.functional as F

from .graph import neighbourhood_mask


class SparseGraphAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class MeshGNN(nn.Module):
    """Mesh-based physics surrogate: each vertex attends to its 1-ring neighbourhood."""

    def __init__(self, in_dim=6, dim=64, heads=4, depth=3):
        super().__init__()
        self.enc = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList(SparseGraphAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.dec = nn.Linear(dim, 3)

    def forward(self, node_feats, edge_index_list):
        mask = neighbourhood_mask(edge_index_list, node_feats.size(1))
        x = self.enc(node_feats)
        for layer, norm in zip(self.layers, self.norms):
            x = x + layer(norm(x), mask)
        return self.dec(x)


if __name__ == "__main__":
    feats = torch.randn(2, 10, 6)
    ring = torch.stack([torch.arange(10), (torch.arange(10) + 1) % 10])
    print(MeshGNN()(feats, [ring, ring[:, :5]]).shape)
