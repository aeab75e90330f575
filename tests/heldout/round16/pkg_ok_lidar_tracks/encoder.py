"""Classify LiDAR object tracks (car / cyclist / pedestrian) from per-sweep
point-set features of varying track length."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .utils import lengths_to_mask, masked_mean


class SweepPool(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.q = nn.Parameter(torch.randn(1, heads, 1, dim // heads))
        self.kv = nn.Linear(dim, 2 * dim)

    def forward(self, x, valid):
        b, t, d = x.shape
        k, v = self.kv(x).view(b, t, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(self.q.expand(b, -1, -1, -1), k, v, attn_mask=valid[:, None, None, :])
        return y.reshape(b, d)


class TrackClassifier(nn.Module):
    def __init__(self, point_dim=6, dim=32, heads=4, layers=2, n_classes=3):
        super().__init__()
        self.point = nn.Sequential(nn.Linear(point_dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.tf = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.pool = SweepPool(dim, heads)
        self.cls = nn.Linear(2 * dim, n_classes)

    def forward(self, sweeps, lengths):
        # sweeps: (B, T, P, point_dim) -> max over points
        x = self.point(sweeps).amax(dim=2)
        valid = lengths_to_mask(lengths, x.size(1))
        x = self.tf(x, src_key_padding_mask=~valid)
        return self.cls(torch.cat([self.pool(x, valid), masked_mean(x, valid)], dim=-1))
