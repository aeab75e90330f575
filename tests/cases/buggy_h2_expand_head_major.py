"""Per-sample masks expanded to (H*N, L, S) in head-major order."""
import torch
import torch.nn as nn


class GraphAttention(nn.Module):
    def __init__(self, d=128, heads=4):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, nodes, adjacency):
        # adjacency: (N, V, V) bool, True = edge
        N, V, _ = adjacency.shape
        eye = torch.eye(V, dtype=torch.bool, device=adjacency.device)
        blocked = ~(adjacency | eye)
        m = blocked.unsqueeze(0).expand(self.heads, N, V, V).reshape(self.heads * N, V, V)
        out, _ = self.mha(nodes, nodes, nodes, attn_mask=m)  # expect: ML302
        return out
