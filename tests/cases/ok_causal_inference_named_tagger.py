"""Correct: models of causal inference, named for it, that are bidirectional taggers and scorers:
"Causal" in a class name is evidence of a causal LM only where it names one."""
import torch
from torch import nn


class CausalRelationTagger(nn.Module):
    def __init__(self, vocab=500, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.tags = nn.Linear(dim, 5)

    def forward(self, tokens):
        return self.tags(self.encoder(self.emb(tokens), src_key_padding_mask=tokens == 0))


class CausalEffectScorer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.score = nn.Linear(dim, 1)

    def forward(self, x, pad):
        return self.score(self.attn(x, x, x, key_padding_mask=pad)[0].mean(1))
