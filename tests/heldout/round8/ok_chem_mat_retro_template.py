"""Molecule Attention Transformer (MAT) for retrosynthesis template
classification: attention weights mix self-attention, the adjacency matrix
and an inter-atomic distance kernel,
    A = l_a * softmax(QK^T / sqrt(d)) + l_g * D_kernel + l_d * Adj.
Padding atoms are excluded from the softmax with masked_fill(~atom_mask, -inf)
(each molecule has at least one atom) and from the graph terms explicitly."""
import math

import torch
import torch.nn as nn


class MATAttention(nn.Module):
    def __init__(self, d, h, lambdas=(0.5, 0.25, 0.25)):
        super().__init__()
        self.h, self.dk = h, d // h
        self.lam = lambdas
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x, adj, dist, atom_mask):
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores.masked_fill(~atom_mask[:, None, None, :], float("-inf"))
        p_attn = scores.softmax(-1)
        pair = (atom_mask[:, :, None] & atom_mask[:, None, :]).to(x.dtype)
        p_dist = torch.exp(-dist) * pair
        p_dist = p_dist / p_dist.sum(-1, keepdim=True).clamp(min=1e-6)
        p_adj = adj * pair
        p_adj = p_adj / p_adj.sum(-1, keepdim=True).clamp(min=1e-6)
        la, ld, lg = self.lam
        weights = la * p_attn + ld * p_dist[:, None] + lg * p_adj[:, None]
        y = weights @ v
        return self.o(y.transpose(1, 2).reshape(B, N, D))


class MATClassifier(nn.Module):
    def __init__(self, atom_feats=16, d=64, h=4, n=2, templates=50):
        super().__init__()
        self.embed = nn.Linear(atom_feats, d)
        self.attn = nn.ModuleList(MATAttention(d, h) for _ in range(n))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.head = nn.Linear(d, templates)

    def forward(self, feats, adj, dist, atom_mask):
        x = self.embed(feats)
        for attn, ln in zip(self.attn, self.norm):
            x = x + attn(ln(x), adj, dist, atom_mask)
        w = atom_mask.unsqueeze(-1).to(x.dtype)
        return self.head((x * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MATClassifier().eval()
    B, N = 2, 14
    feats = torch.randn(B, N, 16)
    xyz = torch.randn(B, N, 3)
    dist = torch.cdist(xyz, xyz)
    adj = (dist < 1.2).float()
    atom_mask = torch.ones(B, N, dtype=torch.bool)
    atom_mask[1, 9:] = False
    with torch.no_grad():
        out = model(feats, adj, dist, atom_mask)
        f2 = feats.clone()
        f2[1, 9:] = 5.0
        out2 = model(f2, adj, dist, atom_mask)
        solo = model(feats[1:, :9], adj[1:, :9, :9], dist[1:, :9, :9], atom_mask[1:, :9])
    assert torch.allclose(out[1], out2[1], atol=1e-5) and torch.allclose(out[1], solo[0], atol=1e-5)
    assert not torch.isnan(out).any()
    print("OK: -inf only on padded atoms; graph terms masked; padding-invariant")
