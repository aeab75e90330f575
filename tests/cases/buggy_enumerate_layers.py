"""Layers iterated with enumerate (for a per-layer cache, a layer index for logging or layer
drop) keep their identity: the attention calls inside them are checked as with a plain loop."""
import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, vocab=50, d=32, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, 4, batch_first=True) for _ in range(layers))
        self.out = nn.Linear(d, 5)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, src_key_padding_mask=attention_mask.bool())  # expect: ML101
        return self.out(x)


class Decoder(nn.Module):
    def __init__(self, vocab=50, d=32, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attns = nn.ModuleList(nn.MultiheadAttention(d, 4, batch_first=True) for _ in range(layers))
        self.ffs = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        t = ids.size(1)
        x = self.emb(ids)
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
        for depth, (attn, ff) in enumerate(zip(self.attns, self.ffs)):
            x = x + attn(x, x, x, attn_mask=causal)[0]  # expect: ML101
            x = x + ff(x)
        return self.head(x)
