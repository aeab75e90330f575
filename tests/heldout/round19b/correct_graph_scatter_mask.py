"""Point-cloud transformer: attention restricted to each point's kNN graph."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KNNAttention(nn.Module):
    def __init__(self, dim, heads=4, k=4):
        super().__init__()
        self.heads = heads
        self.k = k
        self.to_q = nn.Linear(dim, dim)
        self.to_kv = nn.Linear(dim, 2 * dim)
        self.rel_pos = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.proj = nn.Linear(dim, dim)

    @staticmethod
    def neighbour_mask(pos, k):
        d = torch.cdist(pos, pos)
        d = d + torch.diag_embed(torch.full(d.shape[:-1], float("inf"), device=pos.device))
        nbr = d.topk(k, dim=-1, largest=False).indices
        keep = torch.zeros_like(d, dtype=torch.bool).scatter_(-1, nbr, True)
        keep |= torch.eye(pos.size(1), dtype=torch.bool, device=pos.device)
        return keep

    def forward(self, feats, pos):
        B, N, C = feats.shape
        h = feats + self.rel_pos(pos)
        q = self.to_q(h).view(B, N, self.heads, -1).transpose(1, 2)
        k, v = self.to_kv(h).view(B, N, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = self.neighbour_mask(pos, self.k)[:, None]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return feats + self.proj(out.transpose(1, 2).reshape(B, N, C))


class PointGraphNet(nn.Module):
    def __init__(self, in_dim=3, dim=32, layers=2, n_classes=10, k=4):
        super().__init__()
        self.embed = nn.Linear(in_dim, dim)
        self.blocks = nn.ModuleList([KNNAttention(dim, k=k) for _ in range(layers)])
        self.head = nn.Linear(dim, n_classes)

    def forward(self, pos, feats=None):
        h = self.embed(pos if feats is None else feats)
        for blk in self.blocks:
            h = blk(h, pos)
        return self.head(h)
