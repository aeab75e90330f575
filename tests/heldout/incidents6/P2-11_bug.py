"""Graph transformer layer over node features; node_mask is 1 for real nodes, 0 for padding nodes."""
import math

import torch
import torch.nn as nn


class NodeSelfAttention(nn.Module):
    def __init__(self, dx, n_head, dropout=0.0):
        super().__init__()
        assert dx % n_head == 0
        self.dx, self.n_head, self.df = dx, n_head, dx // n_head
        self.q = nn.Linear(dx, dx)
        self.k = nn.Linear(dx, dx)
        self.v = nn.Linear(dx, dx)
        self.e_mul = nn.Linear(dx, n_head)
        self.out = nn.Linear(dx, dx)
        self.dropout = nn.Dropout(dropout)

    def forward(self, X, E, node_mask):
        bs, n, _ = X.shape
        x_mask = node_mask.unsqueeze(-1).float()
        Q = (self.q(X) * x_mask).view(bs, n, self.n_head, self.df).transpose(1, 2)
        K = (self.k(X) * x_mask).view(bs, n, self.n_head, self.df).transpose(1, 2)
        V = (self.v(X) * x_mask).view(bs, n, self.n_head, self.df).transpose(1, 2)
        Y = Q @ K.transpose(-1, -2) / math.sqrt(self.df)
        Y = Y * (self.e_mul(E).permute(0, 3, 1, 2) + 1)
        key_mask = node_mask[:, None, None, :].float()
        Y = Y * key_mask  # BUG
        attn = torch.softmax(Y, dim=-1)
        attn = self.dropout(attn)
        out = (attn @ V).transpose(1, 2).reshape(bs, n, self.dx)
        return self.out(out) * x_mask


class GraphTransformerLayer(nn.Module):
    def __init__(self, dx=32, n_head=4):
        super().__init__()
        self.self_attn = NodeSelfAttention(dx, n_head)
        self.norm = nn.LayerNorm(dx)
        self.ff = nn.Sequential(nn.Linear(dx, 2 * dx), nn.ReLU(), nn.Linear(2 * dx, dx))

    def forward(self, X, E, node_mask):
        X = self.norm(X + self.self_attn(X, E, node_mask))
        return X + self.ff(X)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = GraphTransformerLayer()
    X = torch.randn(2, 6, 32)
    E = torch.randn(2, 6, 6, 32)
    node_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]], dtype=torch.bool)
    print(layer(X, E, node_mask).shape)
