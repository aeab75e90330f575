"""Molecular property regression with a bond-restricted graph transformer (attention only along bonds + self-loops)."""
import torch
import torch.nn as nn

ATOMS = ["C", "N", "O", "F", "S", "Cl", "<pad>"]
PAD_ATOM = len(ATOMS) - 1


def dense_adjacency(edge_index, n_atoms, max_atoms):
    adj = torch.zeros(len(edge_index), max_atoms, max_atoms, dtype=torch.bool)
    for b, edges in enumerate(edge_index):
        if edges:
            src, dst = torch.tensor(edges).t()
            adj[b, src, dst] = True
            adj[b, dst, src] = True
    adj |= torch.eye(max_atoms, dtype=torch.bool)  # self-loops keep every row non-empty
    real = torch.arange(max_atoms)[None] < torch.tensor(n_atoms)[:, None]
    return adj & (real[:, None, :] | torch.eye(max_atoms, dtype=torch.bool))


class GraphAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.edge_bias = nn.Parameter(torch.zeros(heads))

    def forward(self, x, adj):
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) * self.dk ** -0.5 + self.edge_bias[None, :, None, None]
        scores = torch.where(adj[:, None], scores, torch.finfo(scores.dtype).min)
        out = scores.softmax(-1) @ v
        return self.o(out.transpose(1, 2).reshape(B, N, D))


class MolNet(nn.Module):
    def __init__(self, d=64, heads=4, layers=3):
        super().__init__()
        self.atom = nn.Embedding(len(ATOMS), d, padding_idx=PAD_ATOM)
        self.layers = nn.ModuleList(GraphAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.readout = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, 1))

    def forward(self, atoms, adj):
        x = self.atom(atoms)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), adj)
        real = (atoms != PAD_ATOM).unsqueeze(-1).float()
        return self.readout((x * real).sum(1) / real.sum(1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    # ethanol (C-C-O), acetic acid-like (C-C(=O)-O), fluoromethane (C-F)
    mols = [([0, 0, 2], [(0, 1), (1, 2)]), ([0, 0, 2, 2], [(0, 1), (1, 2), (1, 3)]), ([0, 3], [(0, 1)])]
    max_atoms = max(len(a) for a, _ in mols)
    atoms = torch.full((len(mols), max_atoms), PAD_ATOM)
    for i, (a, _) in enumerate(mols):
        atoms[i, : len(a)] = torch.tensor(a)
    adj = dense_adjacency([e for _, e in mols], [len(a) for a, _ in mols], max_atoms)
    model = MolNet()
    pred = model(atoms, adj)
    loss = nn.functional.mse_loss(pred, torch.tensor([-0.3, 0.8, 1.2]))
    loss.backward()
    print(pred.detach(), loss.item())
