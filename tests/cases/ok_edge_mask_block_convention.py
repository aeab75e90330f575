import torch
import torch.nn as nn


class MaskedGraphAttention(nn.Module):
    """edge_mask: (B, N, N) bool in the nn.MultiheadAttention convention, True = no edge (masked out)."""

    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, edge_mask):
        return self.mha(x, x, x, attn_mask=edge_mask.repeat_interleave(self.heads, 0))[0]


def build_edge_mask(adj):
    no_edge = adj == 0
    no_edge.diagonal(dim1=-2, dim2=-1).fill_(False)
    return no_edge


def run(x, adj, layer):
    return layer(x, build_edge_mask(adj))


if __name__ == "__main__":
    adj = (torch.rand(2, 5, 5) > 0.5).float()
    x = torch.randn(2, 5, 16)
    print(run(x, adj, MaskedGraphAttention()).shape)
