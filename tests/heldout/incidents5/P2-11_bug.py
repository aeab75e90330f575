"""Graph transformer layer for spectra-conditioned molecule generation (config-driven)."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class LayerConfig:
    dx: int = 32
    de: int = 8
    n_head: int = 4
    dropout: float = 0.0
    mask_value: float = float("-inf")


class NodeEdgeBlock(nn.Module):
    def __init__(self, cfg: LayerConfig):
        super().__init__()
        self.cfg = cfg
        self.df = cfg.dx // cfg.n_head
        self.q = nn.Linear(cfg.dx, cfg.dx)
        self.k = nn.Linear(cfg.dx, cfg.dx)
        self.v = nn.Linear(cfg.dx, cfg.dx)
        self.e_mul = nn.Linear(cfg.de, cfg.dx)
        self.out = nn.Linear(cfg.dx, cfg.dx)

    def forward(self, X, E, node_mask):
        bs, n, _ = X.shape
        x_mask = node_mask.unsqueeze(-1).float()
        e_mask1 = x_mask.unsqueeze(2)
        e_mask2 = x_mask.unsqueeze(1)
        Q = (self.q(X) * x_mask).view(bs, n, self.cfg.n_head, self.df)
        K = (self.k(X) * x_mask).view(bs, n, self.cfg.n_head, self.df)
        Y = Q.unsqueeze(2) * K.unsqueeze(1) / self.df ** 0.5
        Y = Y * (self.e_mul(E) + 1).view(bs, n, n, self.cfg.n_head, self.df)
        scores = Y.sum(-1)
        scores = scores * (e_mask1 * e_mask2)  # BUG
        attn = torch.softmax(scores, dim=2)  # BUG
        V = (self.v(X) * x_mask).view(bs, 1, n, self.cfg.n_head, self.df)
        out = (attn.unsqueeze(-1) * V).sum(2).flatten(-2)
        return self.out(out) * x_mask


class GraphTransformerLayer(nn.Module):
    def __init__(self, cfg: LayerConfig):
        super().__init__()
        self.attn = NodeEdgeBlock(cfg)
        self.norm = nn.LayerNorm(cfg.dx)
        self.ff = nn.Sequential(nn.Linear(cfg.dx, 2 * cfg.dx), nn.ReLU(), nn.Linear(2 * cfg.dx, cfg.dx))

    def forward(self, X, E, node_mask):
        X = self.norm(X + self.attn(X, E, node_mask))
        return X + self.ff(X) * node_mask.unsqueeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = LayerConfig()
    layer = GraphTransformerLayer(cfg).eval()
    X, E = torch.randn(2, 6, cfg.dx), torch.randn(2, 6, 6, cfg.de)
    node_mask = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]]).bool()
    X2 = X.clone()
    X2[0, 4:] = 5.0
    with torch.no_grad():
        a, b = layer(X, E, node_mask), layer(X2, E, node_mask)
    print("pads ignored:", torch.allclose(a[0, :4], b[0, :4], atol=1e-5))
