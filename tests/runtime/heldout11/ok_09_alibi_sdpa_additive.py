# EXPECT: ok
"""BLOOM-like decoder with ALiBi: a float bias (per-head linear distance penalty) plus -inf on
the future, passed to SDPA as an additive mask."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads):
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def build_alibi_bias(n_heads, T, device=None):
    pos = torch.arange(T, device=device)
    rel = (pos[None, :] - pos[:, None]).float()            # j - i, <= 0 in the past
    bias = alibi_slopes(n_heads).to(device)[:, None, None] * rel[None]
    future = torch.ones(T, T, dtype=torch.bool, device=device).triu(1)
    return bias.masked_fill(future, float("-inf"))         # (H, T, T) additive


class AlibiAttention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.dense = nn.Linear(d, d)
        self.p = p

    def forward(self, x, alibi):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, self.h, 3, D // self.h).permute(3, 0, 2, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=alibi, dropout_p=self.p if self.training else 0.0)
        return self.dense(y.transpose(1, 2).reshape(B, T, D))


class BloomLike(nn.Module):
    def __init__(self, vocab=64, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.h = h
        self.word_embeddings = nn.Embedding(vocab, d)
        self.ln_emb = nn.LayerNorm(d)
        self.attn = nn.ModuleList([AlibiAttention(d, h, p) for _ in range(n)])
        self.ln = nn.ModuleList([nn.LayerNorm(d) for _ in range(2 * n)])
        self.mlp = nn.ModuleList([nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))
                                  for _ in range(n)])
        self.head = nn.Linear(d, vocab, bias=False)
        self._bias_cache = None

    def alibi(self, T, device):
        if self._bias_cache is None or self._bias_cache.size(-1) < T:
            self._bias_cache = build_alibi_bias(self.h, max(T, 16), device)
        return self._bias_cache[:, :T, :T]

    def forward(self, ids):
        x = self.ln_emb(self.word_embeddings(ids))
        bias = self.alibi(ids.size(1), ids.device)
        for i, (attn, mlp) in enumerate(zip(self.attn, self.mlp)):
            x = x + attn(self.ln[2 * i](x), bias)
            x = x + mlp(self.ln[2 * i + 1](x))
        return self.head(x)


def run():
    torch.manual_seed(0)
    model = BloomLike()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, 64, (3, 13))
    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 64), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(data[:, :-1])
        ppl = torch.exp(F.cross_entropy(ev.reshape(-1, 64), data[:, 1:].reshape(-1)))
    return [loss.detach(), ev, ppl.reshape(1) / math.e]
