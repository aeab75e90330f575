# EXPECT: bug
"""Graph transformer over a padded batch of small molecules: each node attends only to its
neighbours (and itself); the per-graph structural mask is tiled over the heads."""
import torch
import torch.nn as nn


class StructuralAttentionLayer(nn.Module):
    def __init__(self, dim, num_heads, dropout=0.1):
        super().__init__()
        self.num_heads = num_heads
        self.attn = nn.MultiheadAttention(dim, num_heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(2 * dim, dim))

    def forward(self, h, struct_mask):
        # struct_mask: (B, N, N) bool, True = not connected
        attn_mask = struct_mask.repeat(self.num_heads, 1, 1)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)  # BUG-SITE
        h = self.norm1(h + a)
        return self.norm2(h + self.ff(h))


class MolGraphTransformer(nn.Module):
    def __init__(self, n_atom_types=10, dim=32, heads=4, depth=2):
        super().__init__()
        self.atom_emb = nn.Embedding(n_atom_types, dim)
        self.layers = nn.ModuleList([StructuralAttentionLayer(dim, heads) for _ in range(depth)])
        self.readout = nn.Linear(dim, 1)

    @staticmethod
    def structural_mask(adj, node_mask):
        n = adj.size(-1)
        eye = torch.eye(n, dtype=torch.bool, device=adj.device)
        connected = adj.bool() & node_mask[:, None, :]
        connected = connected | eye          # self-loops; padded nodes only see themselves
        return ~connected

    def forward(self, atoms, adj, node_mask):
        h = self.atom_emb(atoms)
        mask = self.structural_mask(adj, node_mask)
        for layer in self.layers:
            h = layer(h, mask)
        h = h * node_mask[..., None]
        return self.readout(h.sum(1) / node_mask.sum(1, keepdim=True)).squeeze(-1)


def random_graphs(b, n):
    g = torch.Generator().manual_seed(1)
    sizes = [n, n - 2, n - 3, n - 5]
    adj = torch.zeros(b, n, n)
    node_mask = torch.zeros(b, n, dtype=torch.bool)
    for i, s in enumerate(sizes[:b]):
        a = (torch.rand(s, s, generator=g) < 0.35).float().triu(1)
        adj[i, :s, :s] = a + a.t()
        node_mask[i, :s] = True
    atoms = torch.randint(1, 10, (b, n), generator=g) * node_mask
    return atoms, adj, node_mask


def run():
    torch.manual_seed(0)
    model = MolGraphTransformer()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    atoms, adj, node_mask = random_graphs(4, 9)
    y = torch.tensor([0.1, 0.7, -0.3, 1.2])
    model.train()
    loss = nn.functional.l1_loss(model(atoms, adj, node_mask), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(atoms, adj, node_mask)
    return [loss.detach(), ev]
