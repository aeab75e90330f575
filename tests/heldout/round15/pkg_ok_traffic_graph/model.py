import torch
from torch import nn
from torch.nn import functional as F

from .graph import neighbourhood_keep


class GraphAttentionLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, keep):
        B, N, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, N, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep.unsqueeze(1))
        return x + self.o(y.transpose(1, 2).reshape(B, N, D))


class RoadGraphModel(nn.Module):
    def __init__(self, in_dim=5, dim=32, heads=4, depth=3):
        super().__init__()
        self.inp = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList(GraphAttentionLayer(dim, heads) for _ in range(depth))
        self.speed = nn.Linear(dim, 1)

    def forward(self, feats, adj, valid):
        keep = neighbourhood_keep(adj, valid)
        x = self.inp(feats)
        for layer in self.layers:
            x = layer(x, keep)
        return self.speed(x).squeeze(-1).masked_fill(~valid, 0.0)
