# EXPECT: bug
"""Hand-written causal attention whose mask is torch.triu(..., diagonal=0): it
also blocks the diagonal, so the first query has no key at all (NaN)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def masked_attention(q, k, v, mask, dropout):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(mask, float("-inf"))  # BUG-SITE
    return dropout(scores.softmax(dim=-1)) @ v


class Head(nn.Module):
    def __init__(self, d, hs, p):
        super().__init__()
        self.key = nn.Linear(d, hs, bias=False)
        self.query = nn.Linear(d, hs, bias=False)
        self.value = nn.Linear(d, hs, bias=False)
        self.dropout = nn.Dropout(p)

    def forward(self, x):
        T = x.size(1)
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool))
        return masked_attention(self.query(x), self.key(x), self.value(x), mask, self.dropout)


class MultiHead(nn.Module):
    def __init__(self, d=32, n=4, p=0.1):
        super().__init__()
        self.heads = nn.ModuleList(Head(d, d // n, p) for _ in range(n))
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        return self.proj(torch.cat([h(x) for h in self.heads], dim=-1))


class BigramPlus(nn.Module):
    def __init__(self, vocab=65, d=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(16, d)
        self.sa = MultiHead(d)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1)))
        x = x + self.sa(self.ln(x))
        return self.head(x)


def run():
    torch.manual_seed(17)
    data = torch.randint(0, 65, (6, 13))
    model = BigramPlus()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 65), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.tok.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        probs = model(data[:2, :5]).softmax(-1)
    return [loss.detach(), g, probs]
