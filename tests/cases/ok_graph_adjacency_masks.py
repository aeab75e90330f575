import torch
import torch.nn.functional as F
from torch import nn


def gat_scores(e, adj):
    return torch.softmax(e.masked_fill(~adj, float("-inf")), dim=-1)


def gat_scores_int(e, adj):
    return torch.softmax(e.masked_fill(adj == 0, -1e4), dim=-1)


def sdpa_neighbours(q, k, v, adj):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=adj[:, None])


def additive_neighbours(q, k, v, connected):
    bias = torch.where(connected, 0.0, float("-inf"))[:, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


class SceneGraphLayer(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads)

    def forward(self, objects, adjacency):
        out, _ = self.attn(objects, objects, objects, attn_mask=~adjacency)
        return objects + out
