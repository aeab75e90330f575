"""Buggy: next-token models whose causal mask is shifted into the future: a keep buffer
tril(ones, diagonal=1) filled where == 0, and a block mask triu(ones, diagonal=2)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class TinyGPT(nn.Module):
    def __init__(self, vocab=20, d=16, heads=2, block=8, block_style=False):
        super().__init__()
        self.heads, self.block_style = heads, block_style
        self.tok = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.head = nn.Linear(d, vocab)
        self.register_buffer("keep", torch.tril(torch.ones(block, block), diagonal=1))
        self.register_buffer("hide", torch.triu(torch.ones(block, block, dtype=torch.bool), diagonal=2))

    def forward(self, idx):
        x = self.tok(idx)
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in self.qkv(x).split(C, dim=2))
        att = q @ k.transpose(-2, -1) / math.sqrt(k.size(-1))
        if self.block_style:
            att = att.masked_fill(self.hide[:T, :T], float("-inf"))  # expect: ML401
        else:
            att = att.masked_fill(self.keep[:T, :T] == 0, float("-inf"))  # expect: ML401
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)
        return self.head(y)


def train_step(model, seq):
    logits = model(seq[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), seq[:, 1:].reshape(-1))
    loss.backward()
    return loss.detach()


def run():
    torch.manual_seed(0)
    seq = torch.randint(0, 20, (2, 7))
    return tuple(train_step(TinyGPT(block_style=b).train(), seq) for b in (False, True))
