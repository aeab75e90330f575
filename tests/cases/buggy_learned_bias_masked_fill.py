"""A learned bias (an embedding of graph distances, a relative-position table) filled with -inf
under a mask of the real atoms / tokens is an inverted additive mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphBias(nn.Module):
    def __init__(self, d=32, heads=4, max_dist=8):
        super().__init__()
        self.spatial = nn.Embedding(max_dist + 1, heads)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, atoms, dist):
        real_atom = atoms.ne(0)
        bias = self.spatial(dist).permute(0, 3, 1, 2)
        bias = bias.masked_fill(real_atom[:, None, None, :], float("-inf"))
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, 4, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103


class RelPosBias(nn.Module):
    def __init__(self, d=32, heads=4, buckets=32):
        super().__init__()
        self.rel = nn.Embedding(buckets, heads)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, tokens, buckets):
        rel_bias = self.rel(buckets).permute(2, 0, 1).unsqueeze(0)
        attn_bias = rel_bias.masked_fill((tokens != 0)[:, None, None, :], -1e9)
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, 4, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)  # expect: ML103


def dense_gat_attention(e, adj):
    """A dense GAT's non-edges set to 0 (not a large negative) before the softmax: weight exp(0)."""
    attention = torch.where(adj > 0, e, torch.zeros_like(e))  # expect: ML202
    return F.softmax(attention, dim=-1)
