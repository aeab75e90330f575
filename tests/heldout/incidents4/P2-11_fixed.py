import math

import torch
import torch.nn as nn


def masked_softmax(x, mask, **kwargs):
    if mask.sum() == 0:
        return x
    x_masked = x.masked_fill(mask == 0, -float("inf"))
    return torch.softmax(x_masked, **kwargs)


class NodeEdgeBlock(nn.Module):
    def __init__(self, dx, de, n_head):
        super().__init__()
        assert dx % n_head == 0
        self.df = dx // n_head
        self.n_head = n_head
        self.q = nn.Linear(dx, dx)
        self.k = nn.Linear(dx, dx)
        self.v = nn.Linear(dx, dx)
        self.e_mul = nn.Linear(de, dx)
        self.x_out = nn.Linear(dx, dx)

    def forward(self, X, E, node_mask):
        bs, n, _ = X.shape
        x_mask = node_mask.unsqueeze(-1)
        e_mask2 = x_mask.unsqueeze(1)
        Q = (self.q(X) * x_mask).reshape(bs, n, self.n_head, self.df).unsqueeze(2)
        K = (self.k(X) * x_mask).reshape(bs, n, self.n_head, self.df).unsqueeze(1)
        Y = Q * K / math.sqrt(self.df)
        Y = Y * (self.e_mul(E).reshape(bs, n, n, self.n_head, self.df) + 1)
        softmax_mask = e_mask2.expand(-1, n, -1, self.n_head)
        attn = masked_softmax(Y.sum(-1), softmax_mask, dim=2)
        V = (self.v(X) * x_mask).reshape(bs, 1, n, self.n_head, self.df)
        weighted_V = (attn.unsqueeze(-1) * V).sum(dim=2).flatten(2)
        return self.x_out(weighted_V) * x_mask


class XEyTransformerLayer(nn.Module):
    def __init__(self, dx, de, n_head):
        super().__init__()
        self.self_attn = NodeEdgeBlock(dx, de, n_head)
        self.normX = nn.LayerNorm(dx)
        self.ffX = nn.Sequential(nn.Linear(dx, 2 * dx), nn.ReLU(), nn.Linear(2 * dx, dx))

    def forward(self, X, E, node_mask):
        X = self.normX(X + self.self_attn(X, E, node_mask))
        return X + self.ffX(X), E


class GraphTransformer(nn.Module):
    def __init__(self, n_layers, dims):
        super().__init__()
        self.layers = nn.ModuleDict({f"layer_{i}": XEyTransformerLayer(dims["X"], dims["E"], dims["heads"]) for i in range(n_layers)})
        self.mlp_out_X = nn.Linear(dims["X"], dims["out_X"])

    def forward(self, X, E, node_mask):
        node_mask = node_mask.float()
        for name in sorted(self.layers):
            X, E = self.layers[name](X, E, node_mask)
        return self.mlp_out_X(X) * node_mask.unsqueeze(-1)
