import torch
from torch import nn

from .knn import knn_exclusion_mask
from .layers import LocalPointAttention


class PointCloudClassifier(nn.Module):
    def __init__(self, n_classes: int = 40, dim: int = 64, heads: int = 4, depth: int = 3, k: int = 8):
        super().__init__()
        self.k = k
        self.embed = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.blocks = nn.ModuleList(LocalPointAttention(dim, heads) for _ in range(depth))
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, n_classes))

    def forward(self, xyz: torch.Tensor) -> torch.Tensor:
        xyz = xyz - xyz.mean(dim=1, keepdim=True)
        xyz = xyz / xyz.norm(dim=-1).amax(dim=1)[:, None, None]
        outside = knn_exclusion_mask(xyz, self.k)
        h = self.embed(xyz)
        for blk in self.blocks:
            h = blk(h, xyz, outside)
        return self.head(h.amax(dim=1))
