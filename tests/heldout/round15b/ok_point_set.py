import torch
from torch import nn


class NeighbourhoodAttention(nn.Module):
    def __init__(self, dim=32, num_heads=4, radius=0.6):
        super().__init__()
        self.num_heads = num_heads
        self.radius = radius
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, feats, xyz):
        far = torch.cdist(xyz, xyz) > self.radius
        far = far.repeat_interleave(self.num_heads, dim=0)
        h = self.norm(feats)
        out, _ = self.attn(h, h, h, attn_mask=far, need_weights=False)
        return feats + out


class PointClassifier(nn.Module):
    def __init__(self, dim=32, depth=2, n_classes=10):
        super().__init__()
        self.lift = nn.Linear(3, dim)
        self.blocks = nn.ModuleList(NeighbourhoodAttention(dim) for _ in range(depth))
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, xyz):
        h = self.lift(xyz)
        for blk in self.blocks:
            h = blk(h, xyz)
        return self.cls(h.max(1).values)


if __name__ == "__main__":
    torch.manual_seed(0)
    print(PointClassifier()(torch.rand(3, 16, 3)).argmax(-1).tolist())
