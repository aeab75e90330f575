import torch
from torch import nn


class SceneGraphLayer(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads)

    def forward(self, objects, adjacency):
        out, _ = self.attn(objects, objects, objects, attn_mask=adjacency)  # expect: ML101
        return objects + out
