"""Shape classification on padded point clouds (einops-style code)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange


class SetAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, present):
        q, k, v = rearrange(self.to_qkv(x), "b n (three h d) -> three b h n d", three=3, h=self.heads)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=rearrange(present, "b j -> b 1 1 j"))
        return self.to_out(rearrange(out, "b h n d -> b n (h d)"))


class PointCloudClassifier(nn.Module):
    def __init__(self, dim=64, depth=2, n_classes=10):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(3, dim), nn.GELU(), nn.Linear(dim, dim))
        self.layers = nn.ModuleList(SetAttention(dim) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, n_classes)

    def forward(self, xyz, counts):
        idx = torch.arange(xyz.shape[1], device=xyz.device)
        present = idx[None, :] < counts[:, None]
        centroid = (xyz * present[..., None]).sum(1, keepdim=True) / counts[:, None, None]
        h = self.embed(xyz - centroid)
        for norm, layer in zip(self.norms, self.layers):
            h = h + layer(norm(h), present)
        h = h.masked_fill(~present[..., None], float("-inf")).amax(dim=1)
        return self.head(h)
