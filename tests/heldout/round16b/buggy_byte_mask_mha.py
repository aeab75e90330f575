import torch
import torch.nn as nn


class SetTransformerPooling(nn.Module):
    """Pooling by multihead attention over a padded set of point features."""

    def __init__(self, dim=64, heads=4, seeds=4):
        super().__init__()
        self.seeds = nn.Parameter(torch.randn(1, seeds, dim) * 0.02)
        self.mab = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)

    def forward(self, x, set_mask):
        s = self.seeds.expand(x.size(0), -1, -1)
        pooled, _ = self.mab(s, x, x, key_padding_mask=set_mask)  # expect: ML203
        return self.ln(s + pooled)


class PointCloudClassifier(nn.Module):
    def __init__(self, in_dim=3, dim=64, heads=4, n_classes=40):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(in_dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.sab = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.pool = SetTransformerPooling(dim, heads)
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, points, lengths):
        n = points.size(1)
        set_mask = (torch.arange(n)[None, :] >= lengths[:, None]).byte()
        h = self.encoder(points)
        h = h + self.sab(h, h, h, key_padding_mask=set_mask.bool())[0]
        return self.cls(self.pool(h, set_mask).mean(1))


if __name__ == "__main__":
    pts = torch.randn(4, 128, 3)
    print(PointCloudClassifier()(pts, torch.tensor([128, 100, 64, 90])).shape)
