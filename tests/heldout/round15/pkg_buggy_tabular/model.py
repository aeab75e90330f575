import torch
from torch import nn

from .masking import missing_value_mask, per_head


class TabularTransformer(nn.Module):
    def __init__(self, n_features, dim=32, heads=4, depth=2, n_out=1):
        super().__init__()
        self.heads = heads
        self.weight = nn.Parameter(torch.randn(n_features, dim) * 0.1)
        self.bias = nn.Parameter(torch.zeros(n_features, dim))
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True, norm_first=True) for _ in range(depth)
        )
        self.out = nn.Sequential(nn.LayerNorm(dim), nn.ReLU(), nn.Linear(dim, n_out))

    def forward(self, x, missing):
        tok = x[..., None] * self.weight + self.bias
        tok = torch.cat([self.cls.expand(x.size(0), -1, -1), tok], 1)
        mask = per_head(missing_value_mask(missing), self.heads)
        for layer in self.layers:
            tok = layer(tok, src_mask=mask)
        return self.out(tok[:, 0])
