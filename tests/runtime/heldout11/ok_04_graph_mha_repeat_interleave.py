# EXPECT: ok
"""Molecular graph transformer with a per-graph neighbourhood mask stacked per head."""
import torch
import torch.nn as nn


class GraphAttnLayer(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, dropout=p, batch_first=True)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.SiLU(), nn.Dropout(p), nn.Linear(2 * dim, dim))

    def forward(self, h, blocked):
        # (B, N, N) -> (B * heads, N, N), sample-major as nn.MultiheadAttention expects
        attn_mask = blocked.repeat_interleave(self.heads, dim=0)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)
        h = self.n1(h + a)
        return self.n2(h + self.ff(h))


class MolNet(nn.Module):
    def __init__(self, n_types=10, dim=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(n_types, dim)
        self.layers = nn.ModuleList([GraphAttnLayer(dim, heads, 0.1) for _ in range(depth)])
        self.out = nn.Linear(dim, 1)

    def forward(self, atoms, adj, node_mask):
        n = adj.size(-1)
        hops2 = (adj @ adj).clamp(max=1)
        reach = (adj + hops2).bool() & node_mask[:, None, :]
        reach = reach | torch.eye(n, dtype=torch.bool)
        blocked = ~reach
        h = self.emb(atoms)
        for layer in self.layers:
            h = layer(h, blocked)
        h = h * node_mask[..., None]
        return self.out(h.sum(1)).squeeze(-1)


def run():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(3)
    B, N = 4, 8
    sizes = [8, 6, 5, 3]
    adj = torch.zeros(B, N, N)
    node_mask = torch.zeros(B, N, dtype=torch.bool)
    for i, s in enumerate(sizes):
        a = (torch.rand(s, s, generator=g) < 0.4).float().triu(1)
        adj[i, :s, :s] = a + a.t()
        node_mask[i, :s] = True
    atoms = torch.randint(1, 10, (B, N), generator=g) * node_mask
    model = MolNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    y = torch.tensor([1.0, 0.0, -1.0, 0.5])
    model.train()
    loss = nn.functional.mse_loss(model(atoms, adj, node_mask), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(atoms, adj, node_mask)
    return [loss.detach(), ev]
