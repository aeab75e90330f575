"""Molecule property model: atoms attend to atoms inside a bond-distance radius.
Distances come from the RDKit topological distance matrix (precomputed in the dataset)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange

MAX_HOPS = 3


def radius_bias(hop_dist: torch.Tensor, atom_mask: torch.Tensor, max_hops: int = MAX_HOPS) -> torch.Tensor:
    """hop_dist: (B, N, N) int; atom_mask: (B, N) bool, True for real atoms.
    Returns an additive (B, 1, N, N) bias for SDPA."""
    within = (hop_dist <= max_hops) & atom_mask[:, None, :]
    bias = torch.zeros(within.shape, dtype=torch.float32, device=hop_dist.device)
    bias = bias.masked_fill(within, float("-inf"))
    return bias.unsqueeze(1)


class LocalAtomAttention(nn.Module):
    def __init__(self, dim=64, heads=8):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, bias):
        q, k, v = rearrange(self.qkv(x), "b n (c h d) -> c b h n d", c=3, h=self.h)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(rearrange(y, "b h n d -> b n (h d)"))


class PropertyNet(nn.Module):
    def __init__(self, n_atom_types=20, dim=64, depth=3):
        super().__init__()
        self.embed = nn.Embedding(n_atom_types, dim)
        self.layers = nn.ModuleList(LocalAtomAttention(dim) for _ in range(depth))
        self.readout = nn.Linear(dim, 1)

    def forward(self, atoms, hop_dist, atom_mask):
        x = self.embed(atoms)
        bias = radius_bias(hop_dist, atom_mask)
        for layer in self.layers:
            x = x + layer(
                x,
                bias,  # expect: ML103
            )
        x = x.masked_fill(~atom_mask[..., None], 0.0)
        return self.readout(x.sum(1) / atom_mask.sum(1, keepdim=True))
