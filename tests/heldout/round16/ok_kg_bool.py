"""Inductive link prediction: relation-aware attention over a node's
neighbourhood; the sampler hands back numpy arrays."""
import numpy as np
import torch
import torch.nn as nn


def sample_neighbourhood(adjacency, nodes, k=6, rng=None):
    rng = rng or np.random.default_rng(0)
    neigh = np.zeros((len(nodes), k, 2), dtype=np.int64)
    missing = np.ones((len(nodes), k), dtype=np.uint8)
    for i, n in enumerate(nodes):
        pairs = adjacency.get(int(n), [])
        if len(pairs) > k:
            pairs = [pairs[j] for j in rng.choice(len(pairs), k, replace=False)]
        for j, p in enumerate(pairs):
            neigh[i, j] = p
            missing[i, j] = 0
    return torch.from_numpy(neigh), torch.from_numpy(missing.astype(bool))


class RelationalAggregator(nn.Module):
    def __init__(self, n_ent=200, n_rel=20, dim=32):
        super().__init__()
        self.ent = nn.Embedding(n_ent, dim)
        self.rel = nn.Embedding(n_rel, dim)
        self.msg = nn.Linear(2 * dim, dim)
        self.attn = nn.MultiheadAttention(dim, 2, batch_first=True)
        self.self_loop = nn.Parameter(torch.zeros(1, 1, dim))

    def forward(self, nodes, neigh, missing):
        msgs = self.msg(torch.cat([self.rel(neigh[..., 0]), self.ent(neigh[..., 1])], -1))
        msgs = torch.cat([self.self_loop.expand(len(nodes), -1, -1), msgs], dim=1)
        missing = torch.cat([missing.new_zeros(len(nodes), 1), missing], dim=1)
        q = self.ent(nodes).unsqueeze(1)
        out, _ = self.attn(q, msgs, msgs, key_padding_mask=missing)
        return q.squeeze(1) + out.squeeze(1)
