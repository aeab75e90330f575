import torch
from torch import nn


class QueryDecoder(nn.Module):
    """One learned query per output tag; queries read the latent array (never padded)."""

    def __init__(self, n_tags: int, dim: int, heads: int):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(n_tags, dim) * 0.02)
        layer = nn.TransformerDecoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, 1)
        self.to_logit = nn.Linear(dim, 1)

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        q = self.queries.expand(latents.size(0), -1, -1)
        return self.to_logit(self.decoder(q, latents)).squeeze(-1)
