"""Lambdas as helpers: head splitting and a one-line attention."""
import torch
import torch.nn.functional as F
from torch import nn


class LambdaLM(nn.Module):
    def __init__(self, vocab, d=64, h=4):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        B, T, D = x.shape
        heads = lambda t: t.view(B, T, self.h, D // self.h).transpose(1, 2)
        q, k, v = (heads(t) for t in self.qkv(x).split(D, dim=-1))
        y = F.scaled_dot_product_attention(q, k, v)  # expect: ML401
        return self.head(y.transpose(1, 2).reshape(B, T, D))


def make_attention(mask):
    return lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102


def run(q, k, v):
    L = q.size(-2)
    future = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
    return make_attention(future)(q, k, v)
