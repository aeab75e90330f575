"""LiDAR point-cloud segmentation with radius-restricted attention over sampled points."""
import torch
import torch.nn as nn


class RadiusAttention(nn.Module):
    def __init__(self, dim, heads, radius):
        super().__init__()
        self.heads, self.radius = heads, radius
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def head_masks(self, xyz, valid):
        far = torch.cdist(xyz, xyz) > self.radius                      # (N, P, P) True = too far
        far = far | ~valid[:, None, :]
        far.diagonal(dim1=1, dim2=2).fill_(False)                       # a point always sees itself
        N, P, _ = far.shape
        # MHA indexes a 3-D mask as b * heads + h: keep batch as the outer dimension
        return far[:, None].expand(N, self.heads, P, P).reshape(N * self.heads, P, P)

    def forward(self, feats, xyz, valid):
        out, _ = self.mha(feats, feats, feats, attn_mask=self.head_masks(xyz, valid))
        return self.norm(feats + out)


class PointSegmenter(nn.Module):
    def __init__(self, n_classes=20, dim=64, heads=4):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(4, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.blocks = nn.ModuleList(RadiusAttention(dim, heads, r) for r in (1.0, 2.0, 4.0))
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, points, valid):  # points: (N, P, 4) xyz + intensity
        h = self.embed(points)
        for blk in self.blocks:
            h = blk(h, points[..., :3], valid)
        return self.cls(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    pts = torch.randn(3, 512, 4) * torch.tensor([5.0, 5.0, 1.0, 0.2])
    valid = torch.ones(3, 512, dtype=torch.bool)
    valid[1, 400:] = False
    model = PointSegmenter()
    logits = model(pts, valid)
    loss = nn.functional.cross_entropy(logits[valid], torch.randint(0, 20, (int(valid.sum()),)))
    loss.backward()
    print("seg loss", round(loss.item(), 4))
