"""A class named like an encoder, trained on next characters and sampled by a module-level loop
that feeds each sampled character back in: an autoregressive model with no causal mask."""
import torch
from torch import nn


class RhymeEncoder(nn.Module):
    def __init__(self, vocab=60, d=32, heads=4, block=64):
        super().__init__()
        self.block = block
        self.tok = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        return self.head(self.enc(self.tok(idx)))  # expect: ML401


@torch.no_grad()
def roll_out(model, idx, n):
    for _ in range(n):
        logits = model(idx[:, -model.block:])[:, -1]
        idx = torch.cat([idx, torch.multinomial(logits.softmax(-1), 1)], 1)
    return idx
