"""Scene-graph reasoning: object nodes attend along graph edges with nn.MultiheadAttention."""
import torch
import torch.nn as nn


def adjacency_block_mask(edges, n_nodes):
    """edges: list (per graph) of (src, dst) pairs -> (B, N, N) bool, True = no edge."""
    B = len(edges)
    adj = torch.eye(n_nodes, dtype=torch.bool).repeat(B, 1, 1)
    for b, pairs in enumerate(edges):
        for s, d in pairs:
            adj[b, s, d] = adj[b, d, s] = True
    return ~adj


class SceneGraphLayer(nn.Module):
    def __init__(self, d=128, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.ReLU())

    def forward(self, nodes, no_edge):
        h, _ = self.attn(nodes, nodes, nodes, attn_mask=no_edge)
        return self.ff(nodes + h)


class SceneGraphNet(nn.Module):
    def __init__(self, d=128, depth=2, n_predicates=50):
        super().__init__()
        self.layers = nn.ModuleList(SceneGraphLayer(d) for _ in range(depth))
        self.pred = nn.Bilinear(d, d, n_predicates)

    def forward(self, node_feats, edges):
        no_edge = adjacency_block_mask(edges, node_feats.size(1))
        x = node_feats
        for layer in self.layers:
            x = layer(x, no_edge)  # expect: ML301
        return x


if __name__ == "__main__":
    net = SceneGraphNet()
    try:
        print(net(torch.randn(3, 5, 128), [[(0, 1)], [(1, 2), (2, 3)], []]).shape)
    except RuntimeError as e:
        print("error:", str(e)[:90])
