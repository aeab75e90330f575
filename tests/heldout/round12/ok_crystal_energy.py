"""Formation-energy regression for crystal structures (atoms as tokens).

An atom attends to atoms within a cutoff radius of it, so the mask is per
structure, (N, A, A); a head axis is added before it goes to SDPA.  An
ensemble of checkpoints is evaluated with torch.func.functional_call.
"""
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call

CUTOFF = 4.0      # angstrom


def neighbour_mask(coords: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """coords (N, A, 3), real (N, A) -> (N, A, A) bool, True = may attend."""
    near = torch.cdist(coords, coords) <= CUTOFF
    keep = near & real[:, None, :]
    return keep | torch.eye(coords.size(1), dtype=torch.bool)       # self always visible


class AtomAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, keep):
        n, a, d = x.shape
        q, k, v = self.qkv(x).view(n, a, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep.unsqueeze(1))    # (N, 1, A, A)
        return self.out(y.transpose(1, 2).reshape(n, a, d))


class EnergyModel(nn.Module):
    def __init__(self, n_elements=100, dim=32, heads=4, depth=3):
        super().__init__()
        self.element = nn.Embedding(n_elements, dim, padding_idx=0)
        self.layers = nn.ModuleList(AtomAttention(dim, heads) for _ in range(depth))
        self.readout = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, 1))

    def forward(self, z, coords):
        real = z != 0
        keep = neighbour_mask(coords, real)
        x = self.element(z)
        for layer in self.layers:
            x = x + layer(F.layer_norm(x, x.shape[-1:]), keep)
        per_atom = self.readout(x).squeeze(-1) * real
        return per_atom.sum(1) / real.sum(1)                     # eV / atom


if __name__ == "__main__":
    torch.manual_seed(0)
    z = torch.tensor([[11, 17, 11, 17, 11, 17, 11, 17],          # NaCl cell
                      [14, 8, 8, 14, 8, 8, 0, 0],                 # SiO2 fragment
                      [26, 26, 0, 0, 0, 0, 0, 0]])                # Fe dimer
    coords = torch.rand(3, 8, 3) * 6
    energy = torch.tensor([-2.1, -3.0, -0.1])
    model = EnergyModel()
    loss = F.mse_loss(model(z, coords), energy)
    loss.backward()
    ensemble = [{k: p.detach() + 0.01 * torch.randn_like(p) for k, p in model.named_parameters()} for _ in range(3)]
    with torch.no_grad():
        preds = torch.stack([functional_call(model, params, (z, coords)) for params in ensemble])
    print("mse", round(loss.item(), 4), "ensemble mean", preds.mean(0).tolist(), "std", preds.std(0).tolist())
