"""Graph transformer layer for batched molecular graphs (dense adjacency, padded nodes).

Each node attends only to its neighbours (plus itself).
"""
import torch
import torch.nn as nn


class GraphAttentionLayer(nn.Module):
    def __init__(self, dim=128, heads=8, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, x, adj, node_mask):
        # x: (B, N, dim); adj: (B, N, N) bool; node_mask: (B, N) bool, True = real atom
        B, N, _ = x.shape
        eye = torch.eye(N, dtype=torch.bool, device=x.device).expand(B, N, N)
        blocked = ~(adj | eye)                                   # True = no edge
        blocked = blocked | ~node_mask[:, None, :]
        blocked = blocked & ~eye                                 # keep self loops for padded atoms
        attn_mask = torch.cat([blocked] * self.heads, dim=0)     # (heads*B, N, N)
        h, _ = self.attn(
            x, x, x,
            attn_mask=attn_mask,  # expect: ML302
            need_weights=False,
        )
        x = self.norm1(x + h)
        return self.norm2(x + self.ffn(x))


class MoleculeRegressor(nn.Module):
    def __init__(self, n_atom_types=100, dim=128, layers=4):
        super().__init__()
        self.atom_emb = nn.Embedding(n_atom_types, dim, padding_idx=0)
        self.layers = nn.ModuleList(GraphAttentionLayer(dim) for _ in range(layers))
        self.readout = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, 1))

    def forward(self, atoms, adj):
        node_mask = atoms != 0
        x = self.atom_emb(atoms)
        for layer in self.layers:
            x = layer(x, adj, node_mask)
        x = x * node_mask.unsqueeze(-1)
        return self.readout(x.sum(1) / node_mask.sum(1, keepdim=True)).squeeze(-1)


def collate_graphs(graphs):
    n = max(g["atoms"].numel() for g in graphs)
    atoms = torch.zeros(len(graphs), n, dtype=torch.long)
    adj = torch.zeros(len(graphs), n, n, dtype=torch.bool)
    for i, g in enumerate(graphs):
        k = g["atoms"].numel()
        atoms[i, :k] = g["atoms"]
        adj[i, :k, :k] = g["adj"]
    return atoms, adj


if __name__ == "__main__":
    g1 = {"atoms": torch.tensor([6, 6, 8]), "adj": torch.tensor([[0, 1, 0], [1, 0, 1], [0, 1, 0]]).bool()}
    g2 = {"atoms": torch.tensor([7, 1]), "adj": torch.tensor([[0, 1], [1, 0]]).bool()}
    atoms, adj = collate_graphs([g1, g2])
    print(MoleculeRegressor()(atoms, adj))
