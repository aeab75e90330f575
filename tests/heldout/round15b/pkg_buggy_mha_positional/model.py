import torch.nn as nn

from .layers import CausalLayer
from .masks import causal_additive


class ForecastTransformer(nn.Module):
    """Predicts the next value of a multivariate series from all past steps."""

    def __init__(self, n_series=3, d_model=32, n_heads=4, n_layers=2):
        super().__init__()
        self.inp = nn.Linear(n_series, d_model)
        self.layers = nn.ModuleList(CausalLayer(d_model, n_heads) for _ in range(n_layers))
        self.out = nn.Linear(d_model, n_series)

    def forward(self, series):
        causal = causal_additive(series.size(1), series.device)
        h = self.inp(series)
        for layer in self.layers:
            h = layer(h, causal)
        return self.out(h)
