# EXPECT: ok
"""Right-padded batched LM with hand-written attention: -inf fill on the combined causal and
key-padding mask (the first key of every row is a real BOS token, so no row is empty)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedSelfAttention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h, self.dk = h, d // h
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(d, d) for _ in range(4))
        self.drop = nn.Dropout(p)

    def forward(self, x, allowed):
        B, T, _ = x.shape
        split = lambda t: t.view(B, T, self.h, self.dk).transpose(1, 2)
        q, k, v = split(self.wq(x)), split(self.wk(x)), split(self.wv(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores.masked_fill(allowed.logical_not(), float("-inf"))
        p = self.drop(F.softmax(scores, dim=-1))
        return self.wo((p @ v).transpose(1, 2).reshape(B, T, -1))


class PaddedLM(nn.Module):
    def __init__(self, vocab=50, d=32, h=4, n=2, p=0.1, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.pos = nn.Embedding(32, d)
        self.attn = nn.ModuleList([MaskedSelfAttention(d, h, p) for _ in range(n)])
        self.norm = nn.ModuleList([nn.LayerNorm(d) for _ in range(n)])
        self.out = nn.Linear(d, vocab)

    def make_mask(self, ids):
        T = ids.size(1)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=ids.device))
        key_ok = (ids != self.pad_id)[:, None, None, :]
        return causal & key_ok                     # (B, 1, T, T), True = allowed

    def forward(self, ids):
        allowed = self.make_mask(ids)
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1)))
        for attn, norm in zip(self.attn, self.norm):
            x = x + attn(norm(x), allowed)
        return self.out(x)


def run():
    torch.manual_seed(0)
    model = PaddedLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    lens = [11, 6, 9]
    ids = torch.zeros(3, 11, dtype=torch.long)
    for i, n in enumerate(lens):
        ids[i, :n] = torch.randint(2, 50, (n,))
        ids[i, 0] = 1                               # BOS
    labels = ids[:, 1:].masked_fill(ids[:, 1:] == 0, -100)
    model.train()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 50), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1])
    return [loss.detach(), ev]
