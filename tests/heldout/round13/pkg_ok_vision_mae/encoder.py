import functools

import torch.nn as nn


class VisibleEncoder(nn.Module):
    """ViT encoder over visible patches only; no causal mask (images are not sequences)."""

    def __init__(self, dim=192, heads=3, depth=4):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)

    def forward(self, tokens, slot_is_real):
        run = functools.partial(self.blocks, src_key_padding_mask=slot_is_real.logical_not())
        return self.norm(run(tokens))
