"""CAD sketch generation: a sequence of primitive tokens (line/arc/circle +
quantised parameters), conditioned on an image of the sketch."""
import torch
from torch import nn

from .masks import autoregressive_mask, primitive_padding


class SketchDecoder(nn.Module):
    def __init__(self, vocab=260, dim=64, heads=4, layers=2, n_patches=16):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(128, dim)
        self.patch = nn.Linear(48, dim)
        self.patch_pos = nn.Parameter(torch.zeros(n_patches, dim))
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.head = nn.Linear(dim, vocab)

    def forward(self, tokens, patches):
        n = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(n, device=tokens.device))
        memory = self.patch(patches) + self.patch_pos
        causal = autoregressive_mask(n, tokens.device)
        pad = primitive_padding(tokens)
        h = self.decoder(x, memory, tgt_mask=causal, tgt_key_padding_mask=pad)  # expect: ML204
        return self.head(h)
