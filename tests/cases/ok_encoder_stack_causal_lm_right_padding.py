"""A decoder-only LM built from nn.TransformerEncoder with a causal mask (four spellings): right
padding comes after every real token, so no padding mask is needed (no ML505)."""
import torch
import torch.nn as nn


class LM(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(50, d, padding_idx=0)
        self.transformer = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), layers)

    def a(self, events):
        causal = nn.Transformer.generate_square_subsequent_mask(events.size(1))
        return self.transformer(self.tok(events), mask=causal, is_causal=True)

    def b(self, events):
        causal = nn.Transformer.generate_square_subsequent_mask(events.size(1))
        return self.transformer(self.tok(events), mask=causal)

    def c(self, events):
        causal = torch.triu(torch.full((events.size(1), events.size(1)), float("-inf")), 1)
        return self.transformer(self.tok(events), mask=causal)

    def d(self, events):
        emb = self.tok(events)
        causal = nn.Transformer.generate_square_subsequent_mask(events.size(1))
        return self.transformer(emb, mask=causal, is_causal=True)
