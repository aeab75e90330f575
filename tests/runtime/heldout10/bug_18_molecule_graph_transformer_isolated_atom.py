# EXPECT: bug the adjacency-restricted attention masks non-neighbours with -inf but the adjacency has no self-loops, so an isolated atom (a salt counter-ion) has a fully masked score row and its softmax is NaN.
"""Molecular property predictor with a sparse-adjacency graph transformer in the style of graphdeeplearning/graphtransformer (dense batched variant)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphAttentionLayer(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.heads = heads
        self.d_k = dim // heads
        self.Q = nn.Linear(dim, dim)
        self.K = nn.Linear(dim, dim)
        self.V = nn.Linear(dim, dim)
        self.E = nn.Linear(4, heads)
        self.O = nn.Linear(dim, dim)
        self.norm1 = nn.BatchNorm1d(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(2 * dim, dim))
        self.norm2 = nn.BatchNorm1d(dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, h, adj, bond_feat, node_mask):
        B, N, D = h.shape
        q = self.Q(h).view(B, N, self.heads, self.d_k).transpose(1, 2)
        k = self.K(h).view(B, N, self.heads, self.d_k).transpose(1, 2)
        v = self.V(h).view(B, N, self.heads, self.d_k).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d_k)
        scores = scores + self.E(bond_feat).permute(0, 3, 1, 2)
        scores = scores.masked_fill(~adj.unsqueeze(1), float("-inf"))  # BUG-SITE
        attn = self.dropout(torch.softmax(scores, dim=-1))
        out = (attn @ v).transpose(1, 2).reshape(B, N, D)
        h = h + self.dropout(self.O(out))
        flat = h.reshape(B * N, D)
        h = self.norm1(flat).view(B, N, D)
        h = h + self.ffn(h)
        return self.norm2(h.reshape(B * N, D)).view(B, N, D)


class GraphTransformerNet(nn.Module):
    def __init__(self, num_atom_types=12, dim=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.embedding_h = nn.Embedding(num_atom_types, dim)
        self.layers = nn.ModuleList([GraphAttentionLayer(dim, heads, dropout) for _ in range(layers)])
        self.readout = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 1))

    def forward(self, atoms, adj, bond_feat, node_mask):
        h = self.embedding_h(atoms)
        for layer in self.layers:
            h = layer(h, adj, bond_feat, node_mask)
        m = node_mask.unsqueeze(-1).to(h.dtype)
        hg = (h * m).sum(1) / m.sum(1)
        return self.readout(hg).squeeze(-1)


def make_batch(mols, n_max):
    B = len(mols)
    atoms = torch.zeros(B, n_max, dtype=torch.long)
    adj = torch.zeros(B, n_max, n_max, dtype=torch.bool)
    bond = torch.zeros(B, n_max, n_max, 4)
    node_mask = torch.zeros(B, n_max, dtype=torch.bool)
    for b, (types, edges) in enumerate(mols):
        n = len(types)
        atoms[b, :n] = torch.tensor(types)
        node_mask[b, :n] = True
        for i, j, t in edges:
            adj[b, i, j] = adj[b, j, i] = True
            bond[b, i, j, t] = bond[b, j, i, t] = 1.0
    return atoms, adj, bond, node_mask


def run():
    torch.manual_seed(0)
    model = GraphTransformerNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    train_mols = [
        ([1, 1, 2, 3], [(0, 1, 0), (1, 2, 1), (2, 3, 0)]),
        ([1, 2, 2, 1], [(0, 1, 0), (1, 2, 2), (2, 3, 0), (3, 0, 0)]),
        ([4, 1, 1, 1], [(0, 1, 0), (0, 2, 0), (0, 3, 0)]),
    ]
    atoms, adj, bond, node_mask = make_batch(train_mols, 4)
    y = torch.tensor([0.5, -1.0, 2.0])
    model.train()
    loss = F.mse_loss(model(atoms, adj, bond, node_mask), y)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    test_mols = [
        ([1, 5, 2, 3], [(0, 1, 0), (1, 2, 0), (2, 3, 1), (0, 3, 0)]),
        ([1, 2, 3, 7], [(0, 1, 0), (1, 2, 1), (2, 0, 0)]),
    ]
    with torch.no_grad():
        atoms, adj, bond, node_mask = make_batch(test_mols, 4)
        pred = model(atoms, adj, bond, node_mask)
    return [loss.detach(), *grads, pred]
