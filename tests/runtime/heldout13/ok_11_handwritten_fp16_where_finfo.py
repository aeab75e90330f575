# EXPECT: ok
"""Eager attention in float16 with left-padded prompts: scores are masked with
torch.where(keep, scores, finfo(scores.dtype).min), the minimum of the dtype
actually used, so the fully padded query rows stay finite (uniform) and no
NaN reaches the next layer."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class EagerHalfAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.drop = nn.Dropout(p)

    def forward(self, x, keep):
        B, L, D = x.shape
        q, k, v = self.qkv(x).half().view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.size(-1))
        scores = torch.where(keep, scores, torch.finfo(scores.dtype).min)
        probs = self.drop(F.softmax(scores.float(), dim=-1).to(v.dtype))
        return self.o((probs @ v).transpose(1, 2).reshape(B, L, D).float())


class Chat(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(EagerHalfAttention(d, heads, p) for _ in range(n))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.out = nn.Linear(d, vocab)

    @staticmethod
    def keep_mask(attention_mask):
        L = attention_mask.size(1)
        causal = torch.ones(L, L, dtype=torch.bool).tril()
        return causal[None, None] & attention_mask[:, None, None, :].bool()

    def forward(self, ids, attention_mask):
        keep = self.keep_mask(attention_mask)
        x = self.emb(ids)
        for blk, norm in zip(self.blocks, self.norms):
            x = x + blk(norm(x), keep)
        return self.out(x)


def run():
    torch.manual_seed(111)
    ids = torch.randint(1, 40, (5, 7))
    am = torch.ones_like(ids)
    am[0, :3] = 0
    am[2, :5] = 0
    ids = ids * am
    model = Chat()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
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
