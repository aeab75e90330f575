"""Graph transformer with two attention flavours per block: an edge-feature-aware
attention written by hand (scores + edge bias) and a plain global attention via
nn.MultiheadAttention. One helper produces the broadcastable node mask for both."""
import math

import torch
import torch.nn as nn


def broadcast_node_mask(node_mask):
    """(B, N) True = real node -> (B, 1, 1, N) True = blocked, broadcastable over heads and queries."""
    return (~node_mask)[:, None, None, :]


class EdgeAwareAttention(nn.Module):
    def __init__(self, d, heads, edge_dim):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.edge = nn.Linear(edge_dim, heads)
        self.o = nn.Linear(d, d)

    def forward(self, x, edge_attr, blocked):
        B, N, _ = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores + self.edge(edge_attr).permute(0, 3, 1, 2)
        scores = scores.masked_fill(blocked, float("-inf"))
        out = scores.softmax(-1) @ v
        return self.o(out.transpose(1, 2).reshape(B, N, -1))


class HybridGraphBlock(nn.Module):
    def __init__(self, d=32, heads=4, edge_dim=3):
        super().__init__()
        self.local = EdgeAwareAttention(d, heads, edge_dim)
        self.glob = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, edge_attr, node_mask):
        blocked = broadcast_node_mask(node_mask)
        x = x + self.local(x, edge_attr, blocked)
        g, _ = self.glob(
            x, x, x,
            attn_mask=blocked,  # expect: ML301
            need_weights=False,
        )
        return self.norm(x + g)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = HybridGraphBlock()
    x = torch.randn(2, 5, 32)
    edge_attr = torch.randn(2, 5, 5, 3)
    node_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.bool)
    try:
        print(block(x, edge_attr, node_mask).shape)
    except (AssertionError, RuntimeError) as e:
        print("failed:", type(e).__name__, e)
