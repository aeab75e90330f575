"""Part segmentation on raw point clouds with a small point transformer.

Clouds in a batch have different sizes; ``collate_clouds`` pads them to the
largest one and keeps the true point counts.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def collate_clouds(clouds):
    counts = torch.tensor([c.shape[0] for c in clouds])
    n_max = int(counts.max())
    xyz = torch.zeros(len(clouds), n_max, 3)
    for i, c in enumerate(clouds):
        xyz[i, : c.shape[0]] = c
    return xyz, counts


class PointAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, feats, empty):
        b, n, d = feats.shape
        q, k, v = self.qkv(feats).chunk(3, dim=-1)
        q, k, v = (t.view(b, n, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=empty[:, None, None, :])  # expect: ML102
        return self.proj(out.transpose(1, 2).reshape(b, n, d))


class PointSegmenter(nn.Module):
    def __init__(self, dim=64, depth=2, num_parts=6):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(3, dim), nn.GELU(), nn.Linear(dim, dim))
        self.blocks = nn.ModuleList([PointAttention(dim) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(depth)])
        self.head = nn.Linear(dim, num_parts)

    def forward(self, xyz, counts):
        idx = torch.arange(xyz.shape[1], device=xyz.device)
        empty = idx[None, :] >= counts[:, None]
        h = self.embed(xyz)
        for norm, blk in zip(self.norms, self.blocks):
            h = h + blk(norm(h), empty)
        return self.head(h)


if __name__ == "__main__":
    clouds = [torch.randn(n, 3) for n in (50, 37, 12)]
    xyz, counts = collate_clouds(clouds)
    print(PointSegmenter()(xyz, counts).shape)
