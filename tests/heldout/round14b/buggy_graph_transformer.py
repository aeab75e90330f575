"""Graphormer-flavoured molecule property regressor (batched graphs padded to max_nodes)."""
import torch
import torch.nn as nn


def pad_graph_batch(graphs, max_nodes):
    """graphs: list of (node_types[n], dist[n, n]) -> padded tensors."""
    B = len(graphs)
    node_types = torch.zeros(B, max_nodes, dtype=torch.long)
    dist = torch.zeros(B, max_nodes, max_nodes, dtype=torch.long)
    num_nodes = []
    for i, (types, d) in enumerate(graphs):
        n = types.numel()
        node_types[i, :n] = types
        dist[i, :n, :n] = d
        num_nodes.append(n)
    return node_types, dist, num_nodes


class SpatialEncoding(nn.Module):
    def __init__(self, num_heads, max_dist=16):
        super().__init__()
        self.max_dist = max_dist
        self.bias = nn.Embedding(max_dist + 1, num_heads)

    def forward(self, dist):
        return self.bias(dist.clamp(max=self.max_dist)).permute(0, 3, 1, 2)  # (B, H, N, N)


class GraphormerLayer(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, attn_bias):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=attn_bias, need_weights=False)[0]  # expect: ML301
        return x + self.ffn(self.ln2(x))


class Graphormer(nn.Module):
    def __init__(self, num_atom_types=64, dim=64, heads=8, layers=3):
        super().__init__()
        self.heads = heads
        self.atom_embed = nn.Embedding(num_atom_types, dim, padding_idx=0)
        self.spatial = SpatialEncoding(heads)
        self.layers = nn.ModuleList(GraphormerLayer(dim, heads) for _ in range(layers))
        self.readout = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 1))

    def build_attn_bias(self, dist, num_nodes):
        B, N, _ = dist.shape
        bias = torch.zeros(B, 1, N, N, device=dist.device)
        for i, n in enumerate(num_nodes):
            bias[i, :, :, n:] = float("-inf")
        return bias + self.spatial(dist)

    def forward(self, node_types, dist, num_nodes):
        x = self.atom_embed(node_types)
        attn_bias = self.build_attn_bias(dist, num_nodes)
        for layer in self.layers:
            x = layer(x, attn_bias)
        node_mask = (node_types != 0).unsqueeze(-1).float()
        graph_repr = (x * node_mask).sum(1) / node_mask.sum(1)
        return self.readout(graph_repr).squeeze(-1)


def random_molecule(n):
    types = torch.randint(1, 64, (n,))
    coords = torch.randn(n, 3)
    dist = torch.cdist(coords, coords).round().long()
    return types, dist


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Graphormer()
    batch = pad_graph_batch([random_molecule(9), random_molecule(5), random_molecule(12)], max_nodes=12)
    try:
        pred = model(*batch)
        print("predicted property", pred.tolist())
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", err)
