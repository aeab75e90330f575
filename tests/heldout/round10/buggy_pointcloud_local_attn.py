"""Point-cloud classifier with radius-limited self-attention (Point-Transformer-like, simplified)."""
import torch
import torch.nn as nn


def pairwise_sqdist(xyz):
    # xyz: (B, N, 3)
    return torch.cdist(xyz, xyz).pow(2)


def neighbourhood(xyz, radius):
    d2 = pairwise_sqdist(xyz)
    return (d2 <= radius ** 2).float()


class LocalAttentionBlock(nn.Module):
    def __init__(self, dim, heads, radius):
        super().__init__()
        self.heads = heads
        self.radius = radius
        self.pos_enc = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, feats, xyz):
        nbr = neighbourhood(xyz, self.radius)
        nbr = nbr.repeat_interleave(self.heads, dim=0)
        h = self.norm(feats + self.pos_enc(xyz))
        out, _ = self.attn(h, h, h, attn_mask=nbr)  # expect: ML202
        feats = feats + out
        return feats + self.ffn(feats)


class PointClassifier(nn.Module):
    def __init__(self, in_ch=3, dim=64, heads=4, depth=3, n_classes=10, radius=0.3):
        super().__init__()
        self.embed = nn.Linear(in_ch, dim)
        self.blocks = nn.ModuleList(
            [LocalAttentionBlock(dim, heads, radius * (1.5 ** i)) for i in range(depth)]
        )
        self.cls = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(0.3), nn.Linear(dim, n_classes))

    def forward(self, xyz, colors=None):
        f = self.embed(xyz if colors is None else colors)
        for blk in self.blocks:
            f = blk(f, xyz)
        return self.cls(f.max(dim=1).values)


def normalize(points):
    points = points - points.mean(dim=1, keepdim=True)
    scale = points.norm(dim=-1).amax(dim=1, keepdim=True)
    return points / scale.unsqueeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    pts = normalize(torch.randn(2, 128, 3))
    model = PointClassifier()
    logits = model(pts)
    print(logits.shape, logits.argmax(-1).tolist())
