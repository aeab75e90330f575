"""Graphormer-style encoder: shortest-path-distance spatial bias per head,
unreachable node pairs excluded with -inf, a virtual [graph] token."""
import torch
import torch.nn as nn

MAX_DIST = 5


def shortest_paths(adj):
    """Floyd-Warshall on a dense (N, N) 0/1 adjacency; unreachable -> MAX_DIST + 1."""
    n = adj.size(0)
    d = torch.full((n, n), float(MAX_DIST + 1))
    d[adj > 0] = 1.0
    d.fill_diagonal_(0.0)
    for k in range(n):
        d = torch.minimum(d, d[:, k:k + 1] + d[k:k + 1, :])
    return d.clamp(max=MAX_DIST + 1).long()


class GraphormerLite(nn.Module):
    def __init__(self, n_feat=6, d=32, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.node_in = nn.Linear(n_feat, d)
        self.graph_token = nn.Parameter(torch.zeros(1, 1, d))
        self.spatial = nn.Embedding(MAX_DIST + 2, heads)
        self.vnode_bias = nn.Parameter(torch.zeros(heads))
        self.layers = nn.ModuleList(
            nn.ModuleDict({"ln": nn.LayerNorm(d), "attn": nn.MultiheadAttention(d, heads, batch_first=True),
                           "ffn": nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))})
            for _ in range(layers))

    def attention_bias(self, spd):
        B, N, _ = spd.shape
        bias = self.spatial(spd).permute(0, 3, 1, 2)  # (B, H, N, N)
        full = torch.zeros(B, self.heads, N + 1, N + 1)
        full[:, :, 1:, 1:] = bias
        full[:, :, 0, :] = self.vnode_bias[None, :, None]
        full[:, :, 1:, 0] = self.vnode_bias[None, :, None]
        reachable = torch.ones(B, N + 1, N + 1, dtype=torch.bool)
        reachable[:, 1:, 1:] = spd <= MAX_DIST
        full = full.masked_fill(reachable[:, None], float("-inf"))
        return full.reshape(B * self.heads, N + 1, N + 1)

    def forward(self, feats, spd):
        h = torch.cat([self.graph_token.expand(feats.size(0), -1, -1), self.node_in(feats)], dim=1)
        bias = self.attention_bias(spd)
        for blk in self.layers:
            x = blk["ln"](h)
            a, _ = blk["attn"](
                x, x, x,
                attn_mask=bias,  # expect: ML103
            )
            h = h + a
            h = h + blk["ffn"](h)
        return h[:, 0]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GraphormerLite()
    # two 4-node graphs: a path, and two disconnected edges
    a1 = torch.tensor([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=torch.float)
    a2 = torch.tensor([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=torch.float)
    spd = torch.stack([shortest_paths(a1), shortest_paths(a2)])
    feats = torch.randn(2, 4, 6)
    out = model(feats, spd)
    print("graph embeddings contain NaN:", torch.isnan(out).any().item())
    assert torch.isnan(out).any()
