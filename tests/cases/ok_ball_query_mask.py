"""Twins of buggy_ball_query_mask: the keep mask into SDPA, the block mask into MHA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def inside_ball(xyz, radius):
    return torch.cdist(xyz, xyz) <= radius


class RadiusAttention(nn.Module):
    def __init__(self, d=32, heads=4, radius=0.3):
        super().__init__()
        self.h, self.radius, self.qkv = heads, radius, nn.Linear(d, 3 * d)

    def forward(self, feats, xyz):
        B, N, D = feats.shape
        q, k, v = self.qkv(feats).view(B, N, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=inside_ball(xyz, self.radius).unsqueeze(1))


class NeighbourMHA(nn.Module):
    def __init__(self, d=32, heads=4, radius=0.3):
        super().__init__()
        self.h, self.radius = heads, radius
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, feats, xyz):
        beyond = torch.cdist(xyz, xyz).pow(2) > self.radius ** 2
        return self.attn(feats, feats, feats, attn_mask=beyond.repeat_interleave(self.h, dim=0))[0]


class OtherAtoms(nn.Module):
    """`dist > 0`: every other atom (not itself), a keep mask for SDPA, not a neighbourhood."""

    def __init__(self, d=32):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, feats, pos):
        B, N, D = feats.shape
        q, k, v = self.qkv(feats).view(B, N, 3, 4, -1).permute(2, 0, 3, 1, 4)
        others = torch.cdist(pos, pos) > 0.0
        return F.scaled_dot_product_attention(q, k, v, attn_mask=others.unsqueeze(1))
