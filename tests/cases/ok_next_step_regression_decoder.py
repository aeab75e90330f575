"""The same next-step forecaster with its causal mask, and a bidirectional velocity model whose
slices are finite differences of its input, not its own outputs."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PoseAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, d = x.shape
        query, key, value = self.to_qkv(x).unflatten(-1, (3, self.heads, -1)).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(query, key, value, is_causal=True)
        return self.out(y.transpose(1, 2).flatten(2))


class PoseForecaster(nn.Module):
    def __init__(self, joints=17, dim=64, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Sequential(nn.Linear(joints * 3, dim), nn.GELU())
        self.blocks = nn.ModuleList(PoseAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, joints * 3)

    def forward(self, poses):
        h = self.inp(poses.flatten(2))
        for block, norm in zip(self.blocks, self.norms):
            h = h + block(norm(h))
        return self.head(h).view_as(poses)

    def training_loss(self, poses):
        pred = self.forward(poses)[:, :-1]
        return F.mse_loss(pred, poses[:, 1:])


class VelocitySmoother(nn.Module):
    def __init__(self, joints=17, dim=64, heads=4):
        super().__init__()
        self.inp = nn.Linear(joints * 3, dim)
        self.attn = PoseAttentionBidirectional(dim, heads)
        self.head = nn.Linear(dim, joints * 3)

    def forward(self, poses):
        velocity = poses[:, 1:] - poses[:, :-1]
        h = self.inp(velocity.flatten(2))
        return self.head(h + self.attn(h)).view_as(velocity)

    def training_loss(self, poses, clean):
        return F.mse_loss(self(poses), clean[:, 1:] - clean[:, :-1])


class PoseAttentionBidirectional(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)

    def forward(self, x):
        query, key, value = self.to_qkv(x).unflatten(-1, (3, self.heads, -1)).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(query, key, value).transpose(1, 2).flatten(2)
