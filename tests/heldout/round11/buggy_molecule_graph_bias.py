"""Graph attention over atoms: each atom attends only to its bonded neighbours (and itself)."""
import torch
import torch.nn as nn


def bonded_pairs(edge_index, n_atoms, batch_size):
    adj = torch.zeros(batch_size, n_atoms, n_atoms, dtype=torch.bool)
    b, src, dst = edge_index
    adj[b, src, dst] = True
    adj[b, dst, src] = True
    adj |= torch.eye(n_atoms, dtype=torch.bool)
    return adj


class NeighbourAttention(nn.Module):
    def __init__(self, dim, heads=8):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, h, adj):
        B, N, D = h.shape
        q = self.q(h).view(B, N, self.heads, -1)
        k, v = self.kv(h).view(B, N, 2, self.heads, -1).unbind(2)
        logits = torch.einsum("bihd,bjhd->bhij", q, k) * self.scale
        bias = torch.where(adj, float("-inf"), 0.0).unsqueeze(1)
        attn = (logits + bias).softmax(dim=-1)  # expect: ML103
        attn = torch.nan_to_num(attn)
        out = torch.einsum("bhij,bjhd->bihd", attn, v).reshape(B, N, D)
        return self.o(out)


class MoleculeEncoder(nn.Module):
    def __init__(self, n_atom_types=16, dim=64, depth=3):
        super().__init__()
        self.embed = nn.Embedding(n_atom_types, dim)
        self.layers = nn.ModuleList(NeighbourAttention(dim) for _ in range(depth))
        self.readout = nn.Linear(dim, 1)

    def forward(self, atoms, adj):
        h = self.embed(atoms)
        for layer in self.layers:
            h = h + layer(h, adj)
        return self.readout(h.mean(1)).squeeze(-1)


if __name__ == "__main__":
    B, N = 2, 9
    atoms = torch.randint(0, 16, (B, N))
    b = torch.tensor([0, 0, 0, 1, 1, 1, 1])
    src = torch.tensor([0, 1, 2, 0, 3, 4, 5])
    dst = torch.tensor([1, 2, 3, 3, 4, 5, 6])
    adj = bonded_pairs((b, src, dst), N, B)
    print(MoleculeEncoder()(atoms, adj))
