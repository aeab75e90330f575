# EXPECT: bug
"""Point-cloud set encoder (variable number of points per cloud) with nn.MultiheadAttention.
Padded points are excluded both as keys and as queries."""
import torch
import torch.nn as nn


class SetAttentionBlock(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(dim, heads, dropout=p, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, x, pair_mask):
        a, _ = self.mha(x, x, x, attn_mask=pair_mask, need_weights=False)  # BUG-SITE
        x = self.ln1(x + a)
        return self.ln2(x + self.ff(x))


class PointSetClassifier(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, n_classes=5, p=0.1):
        super().__init__()
        self.heads = heads
        self.embed = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.blocks = nn.ModuleList([SetAttentionBlock(dim, heads, p) for _ in range(depth)])
        self.cls = nn.Sequential(nn.Dropout(p), nn.Linear(dim, n_classes))

    def pairwise_mask(self, point_pad):
        # (B, N, N): True where either the query or the key is a padded point
        m = point_pad[:, :, None] | point_pad[:, None, :]
        return m.repeat_interleave(self.heads, dim=0)

    def forward(self, points, point_pad):
        x = self.embed(points)
        mask = self.pairwise_mask(point_pad)
        for blk in self.blocks:
            x = blk(x, mask)
        keep = (~point_pad).unsqueeze(-1).float()
        pooled = (x * keep).sum(1) / keep.sum(1)
        return self.cls(pooled)


def run():
    torch.manual_seed(0)
    model = PointSetClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    counts = torch.tensor([10, 7, 4, 9])
    point_pad = torch.arange(10)[None] >= counts[:, None]
    points = torch.randn(4, 10, 3).masked_fill(point_pad[..., None], 0.0)
    labels = torch.tensor([0, 4, 2, 1])
    model.train()
    loss = nn.functional.cross_entropy(model(points, point_pad), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(points, point_pad).softmax(-1)
    return [loss.detach(), ev]
