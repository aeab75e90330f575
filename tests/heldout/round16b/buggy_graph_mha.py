import torch
import torch.nn as nn


def dense_batch(node_feats, batch_index, max_nodes):
    n_graphs = int(batch_index.max()) + 1
    out = node_feats.new_zeros(n_graphs, max_nodes, node_feats.size(-1))
    valid = torch.zeros(n_graphs, max_nodes, dtype=torch.bool)
    counts = torch.bincount(batch_index, minlength=n_graphs)
    pos = torch.cat([torch.arange(c) for c in counts.tolist()])
    out[batch_index, pos] = node_feats
    valid[batch_index, pos] = True
    return out, valid, pos


class GraphormerLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, blocked):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=blocked, need_weights=False)[0]  # expect: ML301
        return x + self.ffn(self.ln2(x))


class MolecularPropertyNet(nn.Module):
    def __init__(self, atom_types=16, dim=64, heads=4, depth=3, max_hops=3):
        super().__init__()
        self.max_hops = max_hops
        self.atom_embed = nn.Embedding(atom_types, dim)
        self.layers = nn.ModuleList(GraphormerLayer(dim, heads) for _ in range(depth))
        self.readout = nn.Linear(dim, 1)

    def hop_mask(self, edge_index, batch_index, pos, valid):
        b, n = valid.shape
        adj = torch.zeros(b, n, n, dtype=torch.bool)
        src, dst = edge_index
        adj[batch_index[src], pos[src], pos[dst]] = True
        adj = adj | adj.transpose(1, 2) | torch.eye(n, dtype=torch.bool)
        reach = adj.clone()
        for _ in range(self.max_hops - 1):
            reach = reach | (reach.float() @ adj.float()).bool()
        return ~(reach & valid[:, None, :])

    def forward(self, atoms, edge_index, batch_index):
        x, valid, pos = dense_batch(self.atom_embed(atoms), batch_index, int(torch.bincount(batch_index).max()))
        blocked = self.hop_mask(edge_index, batch_index, pos, valid)
        blocked = blocked & valid[:, :, None]
        for layer in self.layers:
            x = layer(x, blocked)
        return self.readout((x * valid[..., None]).sum(1) / valid.sum(1, keepdim=True))


if __name__ == "__main__":
    atoms = torch.randint(0, 16, (9,))
    batch_index = torch.tensor([0, 0, 0, 0, 0, 1, 1, 1, 1])
    edges = torch.tensor([[0, 1, 2, 3, 5, 6, 7], [1, 2, 3, 4, 6, 7, 8]])
    print(MolecularPropertyNet()(atoms, edges, batch_index).shape)
