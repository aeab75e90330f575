"""SVG icon generation: path commands (M/L/C/Z + quantised args) conditioned
on a text prompt embedding sequence."""
import torch
from torch import nn

from .masks import autoregressive_mask, command_padding


class IconDecoder(nn.Module):
    def __init__(self, vocab=300, dim=64, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(128, dim)
        self.prompt = nn.Linear(32, dim)
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.head = nn.Linear(dim, vocab)

    def forward(self, tokens, prompt_emb, prompt_pad):
        n = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(n, device=tokens.device))
        h = self.decoder(
            x, self.prompt(prompt_emb),
            tgt_mask=autoregressive_mask(n, tokens.device),
            tgt_key_padding_mask=command_padding(tokens),
            memory_key_padding_mask=prompt_pad,
        )
        return self.head(h)
