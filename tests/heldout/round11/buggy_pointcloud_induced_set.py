"""Set Transformer (ISAB + PMA) classifier for padded point clouds."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attend(q_in, kv_in, wq, wkv, heads, mask=None):
    B, Nq, D = q_in.shape
    q = wq(q_in).view(B, Nq, heads, -1).transpose(1, 2)
    k, v = wkv(kv_in).view(B, kv_in.size(1), 2, heads, -1).permute(2, 0, 3, 1, 4)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(B, Nq, D)


class ISAB(nn.Module):
    def __init__(self, dim, heads, n_inducing=16):
        super().__init__()
        self.heads = heads
        self.inducing = nn.Parameter(torch.randn(1, n_inducing, dim))
        self.q1, self.kv1 = nn.Linear(dim, dim), nn.Linear(dim, 2 * dim)
        self.q2, self.kv2 = nn.Linear(dim, dim), nn.Linear(dim, 2 * dim)

    def forward(self, x, valid):
        ind = self.inducing.expand(x.size(0), -1, -1)
        h = ind + attend(ind, x, self.q1, self.kv1, self.heads)  # expect: ML504
        return x + attend(x, h, self.q2, self.kv2, self.heads), valid


class PointSetClassifier(nn.Module):
    def __init__(self, dim=64, heads=4, n_classes=40):
        super().__init__()
        self.inp = nn.Linear(3, dim)
        self.blocks = nn.ModuleList(ISAB(dim, heads) for _ in range(2))
        self.out = nn.Linear(dim, n_classes)

    def forward(self, points, valid):
        x = self.inp(points)
        for blk in self.blocks:
            x, valid = blk(x, valid)
        x = x.masked_fill(~valid.unsqueeze(-1), float("-inf")).amax(1)
        return self.out(x)


if __name__ == "__main__":
    pts = torch.randn(3, 512, 3)
    valid = torch.ones(3, 512, dtype=torch.bool)
    valid[1, 300:] = False
    valid[2, 128:] = False
    pts[~valid] = 0.0
    print(PointSetClassifier()(pts, valid).shape)
