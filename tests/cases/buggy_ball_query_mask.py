"""Ball-query (radius) neighbourhoods from torch.cdist: `dist > radius` is True outside the ball,
a block mask; `dist <= radius` the keep mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def outside_ball(xyz, radius):
    return torch.cdist(xyz, xyz) > radius


class RadiusAttention(nn.Module):
    def __init__(self, d=32, heads=4, radius=0.3):
        super().__init__()
        self.h, self.radius, self.qkv = heads, radius, nn.Linear(d, 3 * d)

    def forward(self, feats, xyz):
        B, N, D = feats.shape
        q, k, v = self.qkv(feats).view(B, N, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        outside = outside_ball(xyz, self.radius)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=outside.unsqueeze(1))  # expect: ML102


class NeighbourMHA(nn.Module):
    def __init__(self, d=32, heads=4, radius=0.3):
        super().__init__()
        self.h, self.radius = heads, radius
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, feats, xyz):
        within = torch.cdist(xyz, xyz).pow(2) <= self.radius ** 2
        return self.attn(feats, feats, feats, attn_mask=within.repeat_interleave(self.h, dim=0))[0]  # expect: ML101
