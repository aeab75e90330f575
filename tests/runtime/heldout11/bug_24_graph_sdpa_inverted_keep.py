# EXPECT: bug
"""Traffic forecasting: sensors on a road graph attend to their graph neighbours with SDPA
(a GAT-like spatial layer) and to their own past with a GRU."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SpatialAttention(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.out = nn.Linear(dim, dim)
        self.p = p

    def forward(self, x, adj):
        # x: (B, N, D); adj: (N, N) 0/1 road connectivity
        B, N, D = x.shape
        q = self.q(x).view(B, N, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, N, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = adj.bool() | torch.eye(N, dtype=torch.bool, device=adj.device)
        attn_mask = ~keep                    # torch convention: True marks positions that are masked
        y = F.scaled_dot_product_attention(q, k, v, attn_mask, self.p if self.training else 0.0)  # BUG-SITE
        return self.out(y.transpose(1, 2).reshape(B, N, D))


class STForecaster(nn.Module):
    def __init__(self, n_nodes=7, in_dim=2, dim=32, heads=4, p=0.1, horizon=3):
        super().__init__()
        self.inp = nn.Linear(in_dim, dim)
        self.gru = nn.GRU(dim, dim, batch_first=True)
        self.spatial = SpatialAttention(dim, heads, p)
        self.norm = nn.LayerNorm(dim)
        self.drop = nn.Dropout(p)
        self.head = nn.Linear(dim, horizon)

    def forward(self, x, adj):
        B, T, N, F_ = x.shape
        h = self.inp(x).permute(0, 2, 1, 3).reshape(B * N, T, -1)
        _, last = self.gru(h)
        h = last[-1].view(B, N, -1)
        h = self.norm(h + self.drop(self.spatial(h, adj)))
        return self.head(h)               # (B, N, horizon)


def ring_road(n):
    adj = torch.zeros(n, n)
    for i in range(n):
        adj[i, (i + 1) % n] = adj[(i + 1) % n, i] = 1
    adj[0, 3] = adj[3, 0] = 1
    return adj


def run():
    torch.manual_seed(0)
    adj = ring_road(7)
    model = STForecaster()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(3, 6, 7, 2)
    y = torch.randn(3, 7, 3)
    model.train()
    loss = F.smooth_l1_loss(model(x, adj), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(x, adj)
    return [loss.detach(), ev]
