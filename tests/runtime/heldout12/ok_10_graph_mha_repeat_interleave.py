# EXPECT: ok
"""Graph transformer layer: each node attends to its neighbours (adjacency as a 3-D attn_mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def adjacency_block_mask(edge_lists, n_nodes):
    """(G, n, n) bool, True where there is no edge (self loops are always kept)."""
    adj = torch.eye(n_nodes, dtype=torch.bool).repeat(len(edge_lists), 1, 1)
    for g, edges in enumerate(edge_lists):
        for a, b in edges:
            adj[g, a, b] = adj[g, b, a] = True
    return ~adj


class GraphAttentionLayer(nn.Module):
    def __init__(self, d=16, heads=4, p=0.1):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.drop = nn.Dropout(p)

    def forward(self, x, no_edge):
        # (G, n, n) -> (G * heads, n, n), graph-major: row g * heads + h
        mask = no_edge.repeat_interleave(self.heads, dim=0)
        y, _ = self.mha(x, x, x, attn_mask=mask)
        return self.norm(x + self.drop(y))


class GraphClassifier(nn.Module):
    def __init__(self, d_in=4, d=16):
        super().__init__()
        self.inp = nn.Linear(d_in, d)
        self.layer = GraphAttentionLayer(d)
        self.out = nn.Linear(d, 2)

    def forward(self, x, no_edge):
        return self.out(self.layer(self.inp(x), no_edge).mean(1))


def run():
    torch.manual_seed(0)
    edges = [
        [(0, 1), (1, 2), (2, 3), (3, 4)],
        [(0, 1), (0, 2), (0, 3), (0, 4)],
        [(0, 1), (1, 2), (2, 0), (3, 4)],
    ]
    no_edge = adjacency_block_mask(edges, 5)
    x = torch.randn(3, 5, 4)
    y = torch.tensor([0, 1, 1])
    model = GraphClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)

    model.train()
    loss = F.cross_entropy(model(x, no_edge), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(x, no_edge)
    return [loss.detach(), logits]
