"""Twin of buggy_learned_bias_masked_fill: the -inf goes on the padded atoms / tokens."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphBias(nn.Module):
    def __init__(self, d=32, heads=4, max_dist=8):
        super().__init__()
        self.spatial = nn.Embedding(max_dist + 1, heads)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, atoms, dist):
        padded_atom = atoms.eq(0)
        bias = self.spatial(dist).permute(0, 3, 1, 2)
        bias = bias.masked_fill(padded_atom[:, None, None, :], float("-inf"))
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, 4, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


def dense_gat_attention(e, adj):
    """Twin: non-edges get -9e15 before the softmax (pyGAT), and zeros after it."""
    attention = torch.where(adj > 0, e, -9e15 * torch.ones_like(e))
    attention = F.softmax(attention, dim=-1)
    return torch.where(adj > 0, attention, torch.zeros_like(attention))
