"""The same graph batch read in each API's convention: SDPA gets the edges (True = attend),
nn.MultiheadAttention the pairs without an edge (True = hidden)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class GraphBatch:
    node_feats: torch.Tensor
    adjacency: torch.Tensor
    num_nodes: torch.Tensor


class EdgeAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, h, graph: GraphBatch):
        b, n, d = h.shape
        q, k, v = self.qkv(h).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        self_loops = torch.eye(n, dtype=torch.bool, device=h.device)
        visible = graph.adjacency.bool() | self_loops
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=visible[:, None])
        return out.transpose(1, 2).reshape(b, n, d)


class BondAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.heads = heads

    def forward(self, h, batch):
        bonded = batch["bonds"].bool()
        allowed = bonded | torch.eye(h.size(1), dtype=torch.bool)
        mask = (~allowed).repeat_interleave(self.heads, 0)
        return self.mha(h, h, h, attn_mask=mask)[0]
