"""Candidate scoring for a tea-tasting-note writer.

Given a shared prompt (tea, origin, steep time) and several candidate
continuations, the scorer encodes prompt and candidate together but only runs
queries for the candidate tokens; keys cover the whole sequence, so the causal
mask is aligned to the bottom-right corner.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class ContinuationAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x_new, x_all):
        b, l, d = x_new.shape
        s = x_all.size(1)
        q = self.q(x_new).view(b, l, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x_all).view(b, s, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(l, s))
        return self.o(y.transpose(1, 2).reshape(b, l, d))


class NoteScorer(nn.Module):
    def __init__(self, vocab=5000, dim=64, heads=4, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.attn = ContinuationAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)
        self.lm = nn.Linear(dim, vocab)

    def forward(self, prompt, candidate):
        ids = torch.cat([prompt, candidate], 1)
        x_all = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        x_new = x_all[:, prompt.size(1):]
        h = self.norm(x_new + self.attn(x_new, x_all))
        return self.lm(h)        # logits for the token after each candidate position

    def score(self, prompt, candidate):
        logp = self(prompt, candidate[:, :-1]).log_softmax(-1)
        return logp.gather(-1, candidate[:, 1:, None]).squeeze(-1).sum(-1)
