# EXPECT: clean
"""Imitates Graphormer (microsoft/Graphormer): padded batched graphs, a virtual
graph token that every node can attend to, a learned shortest-path-distance
attention bias (float, per head) and padded nodes removed from the keys with
masked_fill(-inf) on the bias; readout from the graph token."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def shortest_path(adj, max_dist=5):
    n = adj.size(0)
    dist = torch.full((n, n), max_dist, dtype=torch.long)
    dist.fill_diagonal_(0)
    reach = torch.eye(n, dtype=torch.bool)
    frontier = torch.eye(n, dtype=torch.bool)
    for d in range(1, max_dist):
        frontier = (frontier.float() @ adj.float() > 0) & ~reach
        dist[frontier] = d
        reach |= frontier
    return dist


class GraphormerAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)
        self.dropout = dropout

    def forward(self, x, attn_bias):
        B, N, D = x.shape
        q = self.q_proj(x).view(B, N, self.heads, self.dh).transpose(1, 2)
        k = self.k_proj(x).view(B, N, self.heads, self.dh).transpose(1, 2)
        v = self.v_proj(x).view(B, N, self.heads, self.dh).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias, dropout_p=self.dropout if self.training else 0.0)
        return self.out_proj(y.transpose(1, 2).reshape(B, N, D))


class GraphormerLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.self_attn = GraphormerAttention(d, heads, dropout)
        self.final_layer_norm = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(dropout), nn.Linear(2 * d, d))

    def forward(self, x, bias):
        x = x + self.self_attn(self.self_attn_layer_norm(x), bias)
        return x + self.ffn(self.final_layer_norm(x))


class Graphormer(nn.Module):
    def __init__(self, num_atoms=12, d=32, heads=4, layers=2, max_dist=5, num_classes=2, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.atom_encoder = nn.Embedding(num_atoms, d, padding_idx=0)
        self.degree_encoder = nn.Embedding(8, d, padding_idx=0)
        self.graph_token = nn.Embedding(1, d)
        self.spatial_pos_encoder = nn.Embedding(max_dist + 1, heads)
        self.graph_token_virtual_distance = nn.Embedding(1, heads)
        self.layers = nn.ModuleList([GraphormerLayer(d, heads, dropout) for _ in range(layers)])
        self.head = nn.Linear(d, num_classes)

    def forward(self, atoms, degree, spatial_pos, node_mask):
        B, N = atoms.shape
        x = self.atom_encoder(atoms) + self.degree_encoder(degree)
        x = torch.cat([self.graph_token.weight.expand(B, 1, -1), x], dim=1)
        bias = torch.zeros(B, self.heads, N + 1, N + 1)
        bias[:, :, 1:, 1:] = self.spatial_pos_encoder(spatial_pos).permute(0, 3, 1, 2)
        t = self.graph_token_virtual_distance.weight.view(1, self.heads, 1)
        bias[:, :, 1:, 0] = bias[:, :, 1:, 0] + t
        bias[:, :, 0, :] = bias[:, :, 0, :] + t
        key_keep = torch.cat([torch.ones(B, 1, dtype=torch.bool), node_mask], dim=1)
        bias = bias.masked_fill(~key_keep[:, None, None, :], float("-inf"))
        for layer in self.layers:
            x = layer(x, bias)
        return self.head(x[:, 0])


def collate(g, sizes, max_dist=5):
    N = max(sizes)
    B = len(sizes)
    atoms = torch.zeros(B, N, dtype=torch.long)
    degree = torch.zeros(B, N, dtype=torch.long)
    spatial = torch.zeros(B, N, N, dtype=torch.long)
    mask = torch.zeros(B, N, dtype=torch.bool)
    for i, n in enumerate(sizes):
        a = torch.zeros(n, n)
        for j in range(1, n):  # random tree plus a few chords
            p = int(torch.randint(0, j, (1,), generator=g))
            a[j, p] = a[p, j] = 1
        atoms[i, :n] = torch.randint(1, 12, (n,), generator=g)
        degree[i, :n] = a.sum(1).long().clamp(max=7)
        spatial[i, :n, :n] = shortest_path(a, max_dist)
        mask[i, :n] = True
    return atoms, degree, spatial, mask


def run():
    torch.manual_seed(0)
    model = Graphormer()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4)
    g = torch.Generator().manual_seed(191)
    batch = collate(g, [9, 4, 7, 6])
    y = torch.tensor([1, 0, 0, 1])

    model.train()
    loss = F.cross_entropy(model(*batch), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        probs = model(*collate(g, [5, 10, 3])).softmax(-1)
    return [loss.detach(), *grads, probs]
