"""Graph transformer for crystal property regression (formation energy).

Atoms attend only to neighbours within a cutoff (dense adjacency per structure).
"""
import torch
import torch.nn as nn


def neighbour_block_mask(frac_coords, lattice, n_atoms, cutoff=4.0):
    """-> (N, A, A) bool, True = pair is NOT within the cutoff (or a padding atom)."""
    cart = torch.einsum("nai,nij->naj", frac_coords, lattice)
    d = torch.cdist(cart, cart)
    A = frac_coords.size(1)
    real = torch.arange(A)[None] < n_atoms[:, None]
    near = (d < cutoff) & real[:, :, None] & real[:, None, :]
    near |= torch.eye(A, dtype=torch.bool)
    return ~near


class GraphAttentionLayer(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.SiLU(), nn.Linear(2 * dim, dim))

    def forward(self, h, blocked):
        per_head = blocked.repeat(self.num_heads, 1, 1)
        a, _ = self.attn(h, h, h, attn_mask=per_head, need_weights=False)  # expect: ML302
        h = h + a
        return h + self.mlp(h)


class CrystalTransformer(nn.Module):
    def __init__(self, n_elements=100, dim=128, num_heads=4, depth=3):
        super().__init__()
        self.species = nn.Embedding(n_elements + 1, dim, padding_idx=0)
        self.layers = nn.ModuleList(GraphAttentionLayer(dim, num_heads) for _ in range(depth))
        self.readout = nn.Linear(dim, 1)

    def forward(self, species, frac_coords, lattice, n_atoms):
        blocked = neighbour_block_mask(frac_coords, lattice, n_atoms)
        h = self.species(species)
        for layer in self.layers:
            h = layer(h, blocked)
        real = (torch.arange(species.size(1))[None] < n_atoms[:, None]).unsqueeze(-1).float()
        return self.readout((h * real).sum(1) / real.sum(1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    N, A = 5, 24
    n_atoms = torch.tensor([24, 8, 16, 12, 20])
    species = torch.randint(1, 101, (N, A)) * (torch.arange(A)[None] < n_atoms[:, None])
    frac = torch.rand(N, A, 3)
    lattice = torch.diag_embed(torch.rand(N, 3) * 4 + 6)
    model = CrystalTransformer()
    energy = model(species, frac, lattice, n_atoms)
    loss = nn.functional.l1_loss(energy, torch.randn(N))
    loss.backward()
    print("formation-energy MAE", round(loss.item(), 4))
