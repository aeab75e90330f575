"""Point-cloud set encoder: every point attends to neighbours within a radius."""
import torch
from torch import nn


class RadiusAttentionBlock(nn.Module):
    def __init__(self, dim=32, num_heads=4, radius=0.6):
        super().__init__()
        self.num_heads = num_heads
        self.radius = radius
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, dim))

    def neighbourhood(self, xyz):
        far = torch.cdist(xyz, xyz) > self.radius
        return far.repeat(self.num_heads, 1, 1)  # expect: ML302

    def forward(self, feats, xyz):
        h = self.norm(feats)
        out, _ = self.attn(h, h, h, attn_mask=self.neighbourhood(xyz), need_weights=False)
        feats = feats + out
        return feats + self.mlp(feats)


class PointSetEncoder(nn.Module):
    def __init__(self, dim=32, depth=2, n_classes=10):
        super().__init__()
        self.lift = nn.Linear(3, dim)
        self.blocks = nn.ModuleList(RadiusAttentionBlock(dim) for _ in range(depth))
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, xyz):
        h = self.lift(xyz)
        for blk in self.blocks:
            h = blk(h, xyz)
        return self.cls(h.max(dim=1).values)


if __name__ == "__main__":
    torch.manual_seed(0)
    clouds = torch.rand(3, 16, 3)
    model = PointSetEncoder()
    print(model(clouds).argmax(-1).tolist())
