# EXPECT: bug
"""Bond-restricted attention over atoms (einsum), adjacency matrices stored as uint8."""
import torch
import torch.nn as nn
import torch.nn.functional as F

# (n_atoms, bonds) for a few small molecules
MOLECULES = [
    (5, [(0, 1), (1, 2), (2, 3), (3, 4)]),
    (5, [(0, 1), (0, 2), (0, 3), (0, 4)]),
    (5, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]),
]


def bond_adjacency(mols):
    n = max(m[0] for m in mols)
    adj = torch.zeros(len(mols), n, n, dtype=torch.uint8)
    for g, (n_at, bonds) in enumerate(mols):
        adj[g, range(n_at), range(n_at)] = 1
        for a, b in bonds:
            adj[g, a, b] = adj[g, b, a] = 1
    return adj


class BondAttention(nn.Module):
    def __init__(self, d=16, heads=2, p=0.1):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.drop = nn.Dropout(p)

    def forward(self, x, adj):
        N, A, D = x.shape
        q, k, v = self.qkv(x).view(N, A, 3, self.h, D // self.h).unbind(2)
        scores = torch.einsum("nihd,njhd->nhij", q, k) / (D // self.h) ** 0.5
        attn = (scores + adj[:, None]).softmax(-1)  # BUG-SITE
        y = torch.einsum("nhij,njhd->nihd", self.drop(attn), v).reshape(N, A, D)
        return x + self.o(y)


class SolubilityNet(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.atom = nn.Embedding(10, d)
        self.layers = nn.ModuleList([BondAttention(d), BondAttention(d)])
        self.out = nn.Linear(d, 1)

    def forward(self, z, adj):
        h = self.atom(z)
        for layer in self.layers:
            h = layer(h, adj)
        return self.out(h.sum(1)).squeeze(-1)


def run():
    torch.manual_seed(0)
    adj = bond_adjacency(MOLECULES)
    z = torch.randint(0, 10, (3, 5))
    target = torch.tensor([-0.5, 1.0, 0.2])
    model = SolubilityNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)

    model.train()
    loss = F.mse_loss(model(z, adj), target)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        pred = model(z, adj)
    return [loss.detach(), pred]
