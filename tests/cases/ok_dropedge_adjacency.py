import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphTransformerLayer(nn.Module):
    def __init__(self, dim=16, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, h, adj):
        # adj: (B, N, N), 1 = edge, self-loops included
        block = (adj == 0).repeat_interleave(self.heads, dim=0)
        return self.attn(h, h, h, attn_mask=block)[0]


class DenseGAT(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.W = nn.Linear(dim, dim, bias=False)
        self.a = nn.Linear(2 * dim, 1, bias=False)

    def forward(self, h, adj):
        Wh = self.W(h)
        n = Wh.size(0)
        pairs = torch.cat([Wh.repeat_interleave(n, 0), Wh.repeat(n, 1)], dim=1).view(n, n, -1)
        e = F.leaky_relu(self.a(pairs).squeeze(-1), 0.2)
        zero_vec = -9e15 * torch.ones_like(e)
        attention = torch.where(adj > 0, e, zero_vec)
        attention = F.softmax(attention, dim=1)
        return attention @ Wh


def drop_edges(h, adj, edge_mask, layer):
    """edge_mask: (N, N) bool, True = an edge dropped this step (DropEdge)."""
    kept = adj.bool() & ~edge_mask
    kept = kept | torch.eye(adj.shape[-1], dtype=torch.bool)
    return F.scaled_dot_product_attention(h, h, h, attn_mask=kept)


def sparse_attention(x, edge_mask, heads=2):
    """edge_mask (B, N, N) bool, True = masked out (no edge): the MHA convention."""
    mha = nn.MultiheadAttention(x.shape[-1], heads, batch_first=True)
    return mha(x, x, x, attn_mask=edge_mask.repeat_interleave(heads, 0))[0]


if __name__ == "__main__":
    n = 5
    adj = (torch.rand(2, n, n) > 0.5).float()
    adj = ((adj + adj.transpose(1, 2) + torch.eye(n)) > 0).float()
    h = torch.randn(2, n, 16)
    print(GraphTransformerLayer()(h, adj).shape)
    print(DenseGAT()(h[0], adj[0]).shape)
    print(drop_edges(h, adj, torch.rand(2, n, n) > 0.8, None).shape)
    print(sparse_attention(h, adj == 0).shape)
