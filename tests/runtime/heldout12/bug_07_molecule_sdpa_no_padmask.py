# EXPECT: bug
"""Molecular energy regressor: atoms as tokens, SDPA self-attention, masked sum readout."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def collate(molecules, d_feat=5):
    n_max = max(m.size(0) for m in molecules)
    feats = torch.zeros(len(molecules), n_max, d_feat)
    atom_mask = torch.zeros(len(molecules), n_max, dtype=torch.bool)
    for i, m in enumerate(molecules):
        feats[i, : m.size(0)] = m
        atom_mask[i, : m.size(0)] = True
    return feats, atom_mask


class AtomAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.h, self.p = heads, p
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def forward(self, x, atom_mask):
        N, A, D = x.shape
        split = lambda t: t.view(N, A, self.h, D // self.h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.p if self.training else 0.0)  # BUG-SITE
        return self.o(y.transpose(1, 2).reshape(N, A, D))


class EnergyModel(nn.Module):
    def __init__(self, d_feat=5, d=16, heads=2, p=0.1):
        super().__init__()
        self.embed = nn.Linear(d_feat, d)
        self.att = AtomAttention(d, heads, p)
        self.norm = nn.LayerNorm(d)
        self.readout = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Dropout(p), nn.Linear(d, 1))

    def forward(self, feats, atom_mask):
        h = self.embed(feats)
        h = self.norm(h + self.att(h, atom_mask))
        per_atom = self.readout(h).squeeze(-1)
        return (per_atom * atom_mask).sum(-1)


def run():
    torch.manual_seed(0)
    mols = [torch.randn(6, 5), torch.randn(6, 5), torch.randn(4, 5), torch.randn(6, 5)]
    feats, atom_mask = collate(mols)
    energy = torch.tensor([-1.0, 0.5, 2.0, 0.0])
    model = EnergyModel()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)

    model.train()
    loss = F.mse_loss(model(feats, atom_mask), energy)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        pred = model(feats, atom_mask)
    return [loss.detach(), pred]
