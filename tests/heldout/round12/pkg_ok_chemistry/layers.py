from torch import nn


class ReactionEncoder(nn.Module):
    """Thin wrapper that keeps the call convention in one place."""

    def __init__(self, dim: int, heads: int, depth: int, dropout: float = 0.1):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout, batch_first=True, norm_first=False)
        self.stack = nn.TransformerEncoder(layer, depth)

    def forward(self, x, padding):
        return self.stack(x, src_key_padding_mask=padding)
