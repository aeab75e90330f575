# EXPECT: ok
"""Graph transformer on small molecules: each sample has its own adjacency
(plus self loops and padding), stacked for nn.MultiheadAttention with
repeat_interleave(num_heads, dim=0), matching MHA's b * num_heads + h order."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphAttentionLayer(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, blocked):  # blocked: (N, V, V), True = no edge
        m = torch.repeat_interleave(blocked, self.heads, dim=0)
        x = self.n1(x + self.mha(x, x, x, attn_mask=m, need_weights=False)[0])
        return self.n2(x + self.ff(x))


class MolNet(nn.Module):
    def __init__(self, n_atom_types=10, d=32, heads=4, layers=2, p=0.1):
        super().__init__()
        self.atom = nn.Embedding(n_atom_types, d)
        self.layers = nn.ModuleList(GraphAttentionLayer(d, heads, p) for _ in range(layers))
        self.readout = nn.Linear(d, 1)

    def forward(self, atoms, adj, node_mask):
        eye = torch.eye(atoms.size(1), dtype=torch.bool)
        blocked = ~(adj | eye) | ~node_mask[:, None, :]
        blocked = blocked & ~eye  # padding nodes keep a self loop: no empty rows
        x = self.atom(atoms)
        for layer in self.layers:
            x = layer(x, blocked)
        w = node_mask[..., None].float()
        return self.readout((x * w).sum(1) / w.sum(1)).squeeze(-1)


def random_graphs(sizes, V, gen):
    atoms = torch.zeros(len(sizes), V, dtype=torch.long)
    adj = torch.zeros(len(sizes), V, V, dtype=torch.bool)
    node_mask = torch.zeros(len(sizes), V, dtype=torch.bool)
    for b, n in enumerate(sizes):
        atoms[b, :n] = torch.randint(1, 10, (n,), generator=gen)
        node_mask[b, :n] = True
        for i in range(1, n):  # a chain plus a random chord
            adj[b, i, i - 1] = adj[b, i - 1, i] = True
        j = int(torch.randint(0, n, (1,), generator=gen))
        adj[b, 0, j] = adj[b, j, 0] = j != 0
    return atoms, adj, node_mask


def run():
    torch.manual_seed(107)
    atoms, adj, node_mask = random_graphs([7, 4, 6], 7, torch.Generator().manual_seed(4))
    y = torch.tensor([0.5, -1.0, 0.2])
    model = MolNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    loss = F.mse_loss(model(atoms, adj, node_mask), y)
    opt.zero_grad()
    loss.backward()
    g = model.atom.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(atoms, adj, node_mask)
    return [loss.detach(), g, ev]
