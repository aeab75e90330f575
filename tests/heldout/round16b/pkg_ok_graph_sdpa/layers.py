import torch
import torch.nn as nn
import torch.nn.functional as F

from .graph import batched_neighbourhood


class LocalGraphAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, allowed):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return self.out(F.scaled_dot_product_attention(q, k, v, attn_mask=allowed).transpose(1, 2).reshape(b, n, d))


class TrafficGNN(nn.Module):
    def __init__(self, in_dim=4, dim=64, heads=4, depth=3):
        super().__init__()
        self.enc = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList(LocalGraphAttention(dim, heads) for _ in range(depth))
        self.dec = nn.Linear(dim, 1)

    def forward(self, x, edge_index_list):
        allowed = batched_neighbourhood(edge_index_list, x.size(1))
        h = self.enc(x)
        for layer in self.layers:
            h = h + layer(h, allowed)
        return self.dec(h)


if __name__ == "__main__":
    ring = torch.stack([torch.arange(10), (torch.arange(10) + 1) % 10])
    print(TrafficGNN()(torch.randn(2, 10, 4), [ring, ring]).shape)
