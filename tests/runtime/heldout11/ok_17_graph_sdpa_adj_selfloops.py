# EXPECT: ok
"""Traffic forecaster: sensors attend to graph neighbours (plus themselves) with SDPA; the
neighbourhood is a boolean keep mask passed positionally."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class NeighbourAttention(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.heads = heads
        self.q, self.kv, self.out = nn.Linear(dim, dim), nn.Linear(dim, 2 * dim), nn.Linear(dim, dim)
        self.p = p

    def forward(self, x, neighbours):
        B, N, D = x.shape
        q = self.q(x).view(B, N, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, N, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, neighbours, self.p if self.training else 0.0)
        return self.out(y.transpose(1, 2).reshape(B, N, D))


class STForecaster(nn.Module):
    def __init__(self, adj, in_dim=2, dim=32, heads=4, p=0.1, horizon=3):
        super().__init__()
        n = adj.size(0)
        neighbours = (adj > 0) | torch.eye(n, dtype=torch.bool)       # True = may attend
        self.register_buffer("neighbours", neighbours)
        self.inp = nn.Linear(in_dim, dim)
        self.gru = nn.GRU(dim, dim, batch_first=True)
        self.spatial = NeighbourAttention(dim, heads, p)
        self.norm = nn.LayerNorm(dim)
        self.drop = nn.Dropout(p)
        self.head = nn.Linear(dim, horizon)

    def forward(self, x):
        B, T, N, _ = x.shape
        h = self.inp(x).permute(0, 2, 1, 3).reshape(B * N, T, -1)
        _, last = self.gru(h)
        h = last[-1].view(B, N, -1)
        h = self.norm(h + self.drop(self.spatial(h, self.neighbours)))
        return self.head(h)


def ring_road(n):
    adj = torch.zeros(n, n)
    for i in range(n):
        adj[i, (i + 1) % n] = adj[(i + 1) % n, i] = 1
    adj[0, 3] = adj[3, 0] = 1
    return adj


def run():
    torch.manual_seed(0)
    model = STForecaster(ring_road(7))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(3, 6, 7, 2), torch.randn(3, 7, 3)
    model.train()
    loss = F.smooth_l1_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(x)
    return [loss.detach(), ev]
