"""Additive causal mask via in-place masked_fill_ on the future. Correct."""
import torch
import torch.nn as nn


def additive_causal(T, device=None):
    m = torch.zeros(T, T, device=device)
    m.masked_fill_(torch.ones(T, T, dtype=torch.bool, device=device).triu(1), float("-inf"))
    return m


class LM(nn.Module):
    def __init__(self, vocab=1000, d=128, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, batch_first=True), 2)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        T = idx.size(1)
        h = self.enc(self.emb(idx), mask=additive_causal(T, idx.device), is_causal=True)
        return self.head(h)

    def loss(self, batch):
        logits = self(batch[:, :-1])
        return nn.functional.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten())
