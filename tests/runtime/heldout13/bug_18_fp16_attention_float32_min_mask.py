# EXPECT: bug
"""Eager attention computed in float16 (manual mixed precision) with an
additive mask filled with torch.finfo(torch.float32).min.  Cast to float16 the
constant becomes -inf, so the left-padding query rows (all keys blocked) are
all -inf: softmax gives NaN, which spreads through the values of the next layer."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_VALUE = torch.finfo(torch.float32).min


def make_additive_mask(attention_mask):
    L = attention_mask.size(1)
    causal = torch.ones(L, L, dtype=torch.bool).triu(1)
    blocked = causal[None, None] | (attention_mask[:, None, None, :] == 0)
    return torch.zeros(blocked.shape).masked_fill(blocked, MASK_VALUE)


class HalfAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.attn_drop = nn.Dropout(p)

    def forward(self, x, add_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(x).half().view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
        scores = scores + add_mask.to(scores.dtype)  # BUG-SITE
        probs = self.attn_drop(scores.softmax(-1))
        out = (probs @ v).transpose(1, 2).reshape(B, L, D).float()
        return self.o(out)


class Model(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.ModuleList(HalfAttention(d, heads, p) for _ in range(n))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.out = nn.Linear(d, vocab)

    def forward(self, ids, attention_mask):
        m = make_additive_mask(attention_mask)
        x = self.emb(ids)
        for attn, norm in zip(self.attn, self.norm):
            x = x + attn(norm(x), m)
        return self.out(x)


def run():
    torch.manual_seed(18)
    ids = torch.randint(1, 40, (4, 7))
    am = torch.ones_like(ids)
    am[0, :3] = 0
    am[3, :2] = 0
    ids = ids * am
    model = Model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    logits = model(ids, am)
    labels = ids[:, 1:].masked_fill(am[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 40), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.out.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        nxt = model(ids, am)[:, -1]
    return [loss.detach(), g, nxt]
