import warnings

import torch
from torch import nn


class DistanceBiasEncoderLayer(nn.Module):
    def __init__(self, d_model=32, num_heads=4, dim_feedforward=64):
        super().__init__()
        self.num_heads = num_heads
        self.attn = nn.MultiheadAttention(d_model, num_heads, batch_first=True)
        self.alpha = nn.Parameter(torch.tensor(0.5))
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.ReLU(), nn.Linear(dim_feedforward, d_model))
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, coords, padding_mask):
        dist = torch.cdist(coords, coords)
        bias = -self.alpha * dist
        attn_mask = bias.repeat_interleave(self.num_heads, dim=0)
        h, _ = self.attn(x, x, x, attn_mask=attn_mask, key_padding_mask=padding_mask)
        x = self.norm1(x + h)
        return self.norm2(x + self.ff(x))


class MoleculeEncoder(nn.Module):
    def __init__(self, n_atom_types=12, d_model=32, n_layers=2):
        super().__init__()
        self.atom_embed = nn.Embedding(n_atom_types, d_model, padding_idx=0)
        self.layers = nn.ModuleList([DistanceBiasEncoderLayer(d_model) for _ in range(n_layers)])

    def forward(self, atoms, coords):
        padding_mask = atoms == 0
        x = self.atom_embed(atoms)
        for layer in self.layers:
            x = layer(x, coords, padding_mask)
        return x.masked_fill(padding_mask[..., None], 0.0).sum(1)


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message="Support for mismatched")
    torch.manual_seed(0)
    model = MoleculeEncoder().eval()
    atoms = torch.randint(1, 12, (3, 7))
    atoms[1, 5:] = 0
    atoms[2, 3:] = 0
    coords = torch.randn(3, 7, 3) * 2.0
    with torch.no_grad():
        batched = model(atoms, coords)
        alone = model(atoms[:1], coords[:1])
    print(f"molecule 0: batched vs alone max |diff| = {(batched[0] - alone[0]).abs().max().item():.4f}")
