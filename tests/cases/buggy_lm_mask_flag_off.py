"""A language model whose causal mask hangs on a flag, sampled with the flag off (pytorch/examples
word_language_model's generate.py calls model(input, False)): a model trained causal runs
bidirectional when it generates.  Its class name says nothing; its code does."""
import math

import torch
import torch.nn as nn


class WordModel(nn.Module):
    def __init__(self, ntoken=1000, d=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(ntoken, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.out = nn.Linear(d, ntoken)
        self.d = d

    def forward(self, src, use_mask=True):
        mask = nn.Transformer.generate_square_subsequent_mask(len(src)).to(src.device) if use_mask else None
        h = self.encoder(self.emb(src) * math.sqrt(self.d), mask)  # expect: ML401
        return self.out(h)


@torch.no_grad()
def sample(model, steps=20):
    inp = torch.zeros(1, 1, dtype=torch.long)
    for _ in range(steps):
        logits = model(inp, use_mask=False)
        nxt = torch.multinomial(logits[-1, 0].softmax(-1), 1)
        inp = torch.cat([inp, nxt.view(1, 1)], 0)
    return inp
