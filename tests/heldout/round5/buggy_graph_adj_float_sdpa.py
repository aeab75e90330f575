"""Graph transformer layer: each node attends to its neighbours (adjacency with self loops)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def normalized_adjacency(edge_index: torch.Tensor, num_nodes: int, batch_size: int) -> torch.Tensor:
    adj = torch.zeros(batch_size, num_nodes, num_nodes)
    b, src, dst = edge_index
    adj[b, src, dst] = 1.0
    adj[b, dst, src] = 1.0
    adj = adj + torch.eye(num_nodes).expand(batch_size, -1, -1)
    return adj.clamp_(max=1.0)


class GraphAttentionLayer(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, h: torch.Tensor, adj: torch.Tensor) -> torch.Tensor:
        B, N, D = h.shape
        x = self.norm(h)
        q = self.q(x).view(B, N, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, N, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=adj.unsqueeze(1).to(q.dtype),  # expect: ML202
        )
        return h + self.proj(out.transpose(1, 2).reshape(B, N, D))


class GraphTransformer(nn.Module):
    def __init__(self, in_dim=16, dim=64, heads=4, depth=3, n_classes=5):
        super().__init__()
        self.inp = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList(GraphAttentionLayer(dim, heads) for _ in range(depth))
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, node_feats, adj):
        h = self.inp(node_feats)
        for layer in self.layers:
            h = layer(h, adj)
        return self.cls(h)


if __name__ == "__main__":
    edges = torch.tensor([[0, 0, 1], [0, 1, 2], [1, 2, 3]])
    adj = normalized_adjacency(edges, num_nodes=6, batch_size=2)
    print(GraphTransformer()(torch.randn(2, 6, 16), adj).shape)
