"""Knowledge-graph completion: a head entity attends over its sampled
(relation, tail) neighbourhood before scoring candidate tails."""
import numpy as np
import torch
import torch.nn as nn


def collate_neighbourhoods(samples, max_neigh=8):
    """samples: list of (head, relation, [(rel, ent), ...], tail)."""
    b = len(samples)
    neigh = np.zeros((b, max_neigh, 2), dtype=np.int64)
    absent = np.zeros((b, max_neigh), dtype=np.uint8)
    for i, (_, _, pairs, _) in enumerate(samples):
        pairs = pairs[:max_neigh]
        if pairs:
            neigh[i, : len(pairs)] = np.asarray(pairs)
        absent[i, len(pairs):] = 1
    heads = torch.tensor([s[0] for s in samples])
    rels = torch.tensor([s[1] for s in samples])
    tails = torch.tensor([s[3] for s in samples])
    return heads, rels, torch.from_numpy(neigh), torch.from_numpy(absent), tails


class NeighbourhoodScorer(nn.Module):
    def __init__(self, n_ent=200, n_rel=20, dim=32):
        super().__init__()
        self.ent = nn.Embedding(n_ent, dim)
        self.rel = nn.Embedding(n_rel, dim)
        self.pair = nn.Linear(2 * dim, dim)
        self.attn = nn.MultiheadAttention(dim, num_heads=2, batch_first=True)

    def forward(self, heads, rels, neigh, absent):
        pairs = torch.cat([self.rel(neigh[..., 0]), self.ent(neigh[..., 1])], dim=-1)
        keys = self.pair(pairs)
        query = self.ent(heads).unsqueeze(1)
        ctx, _ = self.attn(query, keys, keys, key_padding_mask=absent)  # expect: ML203
        h = query.squeeze(1) + ctx.squeeze(1) + self.rel(rels)
        return h @ self.ent.weight.t()

