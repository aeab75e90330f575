"""Graph transformer for node classification: attention limited to k-hop neighbourhoods."""
import torch
import torch.nn as nn


class HopLimitedLayer(nn.Module):
    def __init__(self, dim, heads, max_hops=2):
        super().__init__()
        self.heads, self.max_hops = heads, max_hops
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True, dropout=0.1)
        self.norm = nn.LayerNorm(dim)

    @staticmethod
    def hop_mask(spd: torch.Tensor, max_hops: int, heads: int) -> torch.Tensor:
        far = spd > max_hops
        return far.tile((heads, 1, 1))

    def forward(self, h, spd):
        m = self.hop_mask(spd, self.max_hops, self.heads)
        out, _ = self.mha(h, h, h, attn_mask=m)  # expect: ML302
        return self.norm(h + out)


def shortest_paths(adj: torch.Tensor) -> torch.Tensor:
    n = adj.size(-1)
    inf = n + 1
    dist = torch.where(adj, 1, inf).to(torch.long)
    dist.diagonal(dim1=-2, dim2=-1).fill_(0)
    for k in range(n):
        dist = torch.minimum(dist, dist[..., :, k : k + 1] + dist[..., k : k + 1, :])
    return dist


class NodeClassifier(nn.Module):
    def __init__(self, in_dim=16, dim=64, heads=4, n_classes=5):
        super().__init__()
        self.inp = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList(HopLimitedLayer(dim, heads) for _ in range(2))
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, x, adj):
        spd = shortest_paths(adj)
        h = self.inp(x)
        for layer in self.layers:
            h = layer(h, spd)
        return self.cls(h)


if __name__ == "__main__":
    B, N = 3, 10
    adj = torch.rand(B, N, N) < 0.25
    adj = adj | adj.transpose(1, 2)
    print(NodeClassifier()(torch.randn(B, N, 16), adj).shape)
