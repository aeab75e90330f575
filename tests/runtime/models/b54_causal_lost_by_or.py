"""Buggy: a tied-head language model whose causal keep mask is joined to the tokenizer's
attention_mask with `|` instead of `&`, on SDPA and on hand-written attention: every real token is
visible to every query, future included."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class TinyLM(nn.Module):
    def __init__(self, vocab=30, d=16, heads=2, eager=False):
        super().__init__()
        self.heads, self.eager = heads, eager
        self.wte = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, input_ids, attention_mask):
        x = self.wte(input_ids)
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = torch.tril(torch.ones(T, T, dtype=torch.bool))[None, None] | attention_mask.bool()[:, None, None, :]
        if self.eager:
            s = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
            y = s.masked_fill(~keep, float("-inf")).softmax(-1) @ v  # expect: ML401
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML401
        return y.transpose(1, 2).reshape(B, T, C) @ self.wte.weight.t()


def run():
    torch.manual_seed(0)
    ids = torch.tensor([[0, 0, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]])
    am = (ids != 0).long()
    losses = []
    for eager in (False, True):
        logits = TinyLM(eager=eager)(ids[:, :-1], am[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, 30), ids[:, 1:].reshape(-1))
        loss.backward()
        losses.append(loss.detach())
    return tuple(losses)
