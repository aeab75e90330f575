"""Point-cloud transformer with local attention: each point attends only to
points within a radius. Per-sample (B, N, N) masks are expanded per head."""
import torch
import torch.nn as nn


def radius_block_mask(xyz: torch.Tensor, radius: float) -> torch.Tensor:
    """xyz: (B, N, 3). Returns (B, N, N) bool, True where the pair is farther
    than `radius` (i.e. attention is blocked). The diagonal is always False."""
    dist = torch.cdist(xyz, xyz)
    return dist > radius


class LocalAttentionLayer(nn.Module):
    def __init__(self, dim, num_heads, radius):
        super().__init__()
        self.num_heads = num_heads
        self.radius = radius
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, feats, xyz):
        block = radius_block_mask(xyz, self.radius)  # (B, N, N)
        # MHA indexes 3-D masks as batch * num_heads + head
        block = block.repeat_interleave(self.num_heads, dim=0)  # (B * H, N, N)
        h = self.norm1(feats)
        out, _ = self.attn(h, h, h, attn_mask=block, need_weights=False)
        feats = feats + out
        return feats + self.mlp(self.norm2(feats))


class PointTransformerCls(nn.Module):
    def __init__(self, in_dim=6, dim=256, num_heads=8, depth=6, n_classes=40, radii=(0.1, 0.2, 0.4)):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(in_dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.layers = nn.ModuleList(
            LocalAttentionLayer(dim, num_heads, radii[min(i * len(radii) // depth, len(radii) - 1)])
            for i in range(depth)
        )
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, n_classes))

    def forward(self, points):
        # points: (B, N, 6) = xyz + normals
        xyz = points[..., :3]
        x = self.embed(points)
        for layer in self.layers:
            x = layer(x, xyz)
        return self.head(x.max(dim=1).values)
