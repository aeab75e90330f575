# EXPECT: ok
"""ALiBi LM on nn.MultiheadAttention.  The per-head bias (H, L, L) (linear
distance penalty plus -inf on the future) is tiled to (N*H, L, L) with
.repeat(N, 1, 1): row b*H + h of the tiled tensor is bias[h], exactly MHA's
b * num_heads + h indexing (repeat over the *batch*, not the heads)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads):
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def alibi_causal_bias(n_heads, L):
    i = torch.arange(L)[:, None]
    j = torch.arange(L)[None, :]
    dist = (i - j).clamp(min=0).float()
    bias = -alibi_slopes(n_heads)[:, None, None] * dist
    return bias.masked_fill(j > i, float("-inf"))  # (H, L, L)


class AlibiBlock(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))

    def forward(self, x, bias):
        N = x.size(0)
        mask = bias.repeat(N, 1, 1)
        y = self.ln1(x)
        x = x + self.attn(y, y, y, attn_mask=mask, need_weights=False)[0]
        return x + self.ff(self.ln2(x))


class AlibiLM(nn.Module):
    def __init__(self, vocab=50, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(AlibiBlock(d, h, p) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        bias = alibi_causal_bias(self.h, ids.size(1))
        x = self.emb(ids) * math.sqrt(self.emb.embedding_dim)
        for blk in self.blocks:
            x = blk(x, bias)
        return self.head(x)


def run():
    torch.manual_seed(117)
    ids = torch.randint(0, 50, (3, 12))
    model = AlibiLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    loss = F.cross_entropy(model(ids[:, :-1]).reshape(-1, 50), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1])
    return [loss.detach(), g, ev]
