"""Twins of buggy_enumerate_layers: the padding mask inverted, the causal mask as MHA's block mask."""
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
            x = layer(x, src_key_padding_mask=attention_mask == 0)
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
        blocked = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        for depth, (attn, ff) in enumerate(zip(self.attns, self.ffs)):
            x = x + attn(x, x, x, attn_mask=blocked)[0]
            x = x + ff(x)
        return self.head(x)
