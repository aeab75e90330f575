import torch
import torch.nn as nn


class NeighbourAttention(nn.Module):
    """Each node reads its neighbours only (no self-loop: the node's own state comes back through
    the residual, GraphSAGE-style). edge_mask: (B, N, N) bool in the nn.MultiheadAttention
    convention, True = no edge (masked out)."""

    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, edge_mask):
        msg = self.mha(x, x, x, attn_mask=edge_mask.repeat_interleave(self.heads, 0), need_weights=False)[0]
        return x + msg


def ring_no_edge(batch, n):
    idx = torch.arange(n)
    adj = torch.zeros(n, n, dtype=torch.bool)
    adj[idx, (idx + 1) % n] = True
    adj[idx, (idx - 1) % n] = True
    return (~adj)[None].expand(batch, -1, -1)      # True = no edge


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 6, 16)
    layer = NeighbourAttention()
    out = layer(x, ring_no_edge(2, 6))
    # reference: node i reads nodes i-1 and i+1 only
    w = layer.mha
    print(out.shape, out.isnan().any().item())
