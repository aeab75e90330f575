"""Distance-cutoff graph transformer for molecular property regression.

Atoms only exchange messages with neighbours inside a radial cutoff; molecules in a batch
are padded to the largest atom count."""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class GaussianRBF(nn.Module):
    def __init__(self, n_kernels: int = 16, cutoff: float = 5.0):
        super().__init__()
        self.register_buffer("centers", torch.linspace(0.0, cutoff, n_kernels))
        self.gamma = 0.5 / (cutoff / n_kernels) ** 2

    def forward(self, d: torch.Tensor) -> torch.Tensor:
        return torch.exp(-self.gamma * (d.unsqueeze(-1) - self.centers) ** 2)


class NeighbourhoodBlock(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.0):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.SiLU(), nn.Linear(2 * dim, dim))

    def forward(self, h: torch.Tensor, neighbours: torch.Tensor) -> torch.Tensor:
        per_head = neighbours.repeat_interleave(self.heads, dim=0)
        x = self.norm1(h)
        h = h + self.attn(x, x, x, attn_mask=per_head, need_weights=False)[0]  # expect: ML101
        return h + self.ffn(self.norm2(h))


class CutoffGraphTransformer(nn.Module):
    def __init__(self, n_atom_types: int = 10, dim: int = 64, heads: int = 4, depth: int = 3,
                 cutoff: float = 3.0):
        super().__init__()
        self.cutoff = cutoff
        self.atom_emb = nn.Embedding(n_atom_types, dim)
        self.rbf = GaussianRBF(16, cutoff)
        self.rbf_proj = nn.Linear(16, dim)
        self.blocks = nn.ModuleList(NeighbourhoodBlock(dim, heads) for _ in range(depth))
        self.readout = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, 1))

    def forward(self, atoms: torch.Tensor, coords: torch.Tensor, atom_mask: torch.Tensor) -> torch.Tensor:
        n = atoms.size(1)
        dist = torch.cdist(coords, coords)
        pair_valid = atom_mask[:, :, None] & atom_mask[:, None, :]
        neighbours = (dist < self.cutoff) & pair_valid
        neighbours = neighbours | torch.eye(n, dtype=torch.bool, device=atoms.device)
        env = (self.rbf(dist) * neighbours.unsqueeze(-1)).sum(2) / math.sqrt(n)
        h = self.atom_emb(atoms) + self.rbf_proj(env)
        for block in self.blocks:
            h = block(h, neighbours)
        per_atom = self.readout(h).squeeze(-1) * atom_mask
        return per_atom.sum(-1)


def random_molecules(batch: int, max_atoms: int, generator=None):
    counts = torch.randint(max_atoms // 2, max_atoms + 1, (batch,), generator=generator)
    atoms = torch.randint(1, 10, (batch, max_atoms), generator=generator)
    coords = torch.randn(batch, max_atoms, 3, generator=generator) * 1.5
    atom_mask = torch.arange(max_atoms)[None] < counts[:, None]
    return atoms * atom_mask, coords * atom_mask[..., None], atom_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CutoffGraphTransformer()
    atoms, coords, atom_mask = random_molecules(4, 12)
    target = torch.randn(4)
    energy = model(atoms, coords, atom_mask)
    loss = F.mse_loss(energy, target)
    loss.backward()
    print("energies", energy.detach().numpy().round(3), "loss", round(loss.item(), 4))
