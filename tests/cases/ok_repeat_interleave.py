"""Graph-transformer layer: attention restricted to graph neighbours, per sample."""
import torch
import torch.nn as nn


class NeighbourAttention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, nodes, adjacency):
        # nodes: (N, V, dim); adjacency: (N, V, V) bool, True = edge
        eye = torch.eye(adjacency.size(-1), dtype=torch.bool, device=adjacency.device)
        blocked = ~(adjacency | eye)
        blocked = blocked.repeat_interleave(self.heads, dim=0)
        out, _ = self.attn(nodes, nodes, nodes, attn_mask=blocked, need_weights=False)
        return nodes + out
