"""Graph transformer for molecular property regression with bonded-neighbour attention.

Atoms attend to themselves and to the atoms they share a bond with (a Graphormer-lite without the
spatial encodings). Molecules are padded to the largest atom count in the batch.
"""
from typing import NamedTuple

import torch
from torch import nn
from torch.nn import functional as F


class MolBatch(NamedTuple):
    atom_types: torch.Tensor  # (B, N) 0 = padding
    adjacency: torch.Tensor   # (B, N, N) 0/1 bond matrix
    n_atoms: torch.Tensor     # (B,)


def batch_molecules(mols):
    """mols: list of (atom_type_list, bond_list)."""
    n = max(len(a) for a, _ in mols)
    types = torch.zeros(len(mols), n, dtype=torch.long)
    adj = torch.zeros(len(mols), n, n)
    for i, (atoms, bonds) in enumerate(mols):
        types[i, : len(atoms)] = torch.tensor(atoms)
        for u, v in bonds:
            adj[i, u, v] = adj[i, v, u] = 1.0
    return MolBatch(types, adj, torch.tensor([len(a) for a, _ in mols]))


class NeighbourAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, not_neighbour):
        B, N, D = x.shape
        split = lambda t: t.view(B, N, self.heads, -1).transpose(1, 2)
        y = F.scaled_dot_product_attention(
            split(self.q(x)), split(self.k(x)), split(self.v(x)),
            attn_mask=not_neighbour.unsqueeze(1),  # expect: ML102
        )
        return self.o(y.transpose(1, 2).reshape(B, N, D))


class MolGraphTransformer(nn.Module):
    def __init__(self, n_atom_types=20, dim=64, heads=4, depth=3):
        super().__init__()
        self.atom_emb = nn.Embedding(n_atom_types, dim, padding_idx=0)
        self.degree_emb = nn.Embedding(8, dim)
        self.layers = nn.ModuleList(NeighbourAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.readout = nn.Linear(dim, 1)

    def forward(self, mol: MolBatch):
        adj = mol.adjacency.bool()
        eye = torch.eye(adj.size(-1), dtype=torch.bool, device=adj.device)
        blocked = ~(adj | eye)
        deg = mol.adjacency.sum(-1).long().clamp(max=7)
        h = self.atom_emb(mol.atom_types) + self.degree_emb(deg)
        for attn, norm in zip(self.layers, self.norms):
            h = h + attn(norm(h), blocked)
        real = (mol.atom_types != 0).unsqueeze(-1)
        return self.readout((h * real).sum(1) / mol.n_atoms[:, None]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    ethanol = ([6, 6, 8], [(0, 1), (1, 2)])
    benzene_ring = ([6] * 6, [(i, (i + 1) % 6) for i in range(6)])
    batch = batch_molecules([ethanol, benzene_ring])
    model = MolGraphTransformer()
    pred = model(batch)
    print("pred", pred.tolist(), "loss", F.mse_loss(pred, torch.tensor([0.5, 1.2])).item())
