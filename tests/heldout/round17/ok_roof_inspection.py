"""Hail-damage grading for drone roof inspections (facet mixer over SDPA)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

EMPTY = -1


@dataclass
class RoofBatch:
    features: torch.Tensor   # (batch, facets, feat_dim)
    facet_id: torch.Tensor   # (batch, facets), EMPTY for unused slots
    pitch_deg: torch.Tensor  # (batch, facets)

    @property
    def photographed(self):
        return self.facet_id != EMPTY


class FacetMixer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, photographed):
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm(x)).chunk(3, -1)
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        slot_mask = photographed[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=slot_mask)
        return x + self.o(y.transpose(1, 2).reshape(b, n, d))


class HailDamageHead(nn.Module):
    def __init__(self, feat_dim=128, dim=64, heads=4, depth=2, grades=5):
        super().__init__()
        self.proj = nn.Linear(feat_dim + 1, dim)
        self.layers = nn.ModuleList(FacetMixer(dim, heads) for _ in range(depth))
        self.grade = nn.Linear(dim, grades)

    def forward(self, batch: RoofBatch):
        pitch = torch.deg2rad(batch.pitch_deg).sin().unsqueeze(-1)
        x = self.proj(torch.cat([batch.features, pitch], -1))
        for layer in self.layers:
            x = layer(x, batch.photographed)
        return self.grade(x)
