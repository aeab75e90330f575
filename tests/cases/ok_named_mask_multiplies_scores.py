"""Masks multiplied where that is right: after the softmax with a renormalisation (AllenNLP's
masked_softmax), into the probabilities, into hidden states, and scores filled instead."""
import math

import torch
import torch.nn as nn


def masked_softmax(vector, mask, dim=-1):
    mask = mask.float()
    result = torch.softmax(vector * mask, dim=dim)
    result = result * mask
    return result / (result.sum(dim=dim, keepdim=True) + 1e-13)


class PairAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)

    def forward(self, x, node_mask):
        b, n, _ = x.shape
        x = x * node_mask.unsqueeze(-1).float()
        q = self.q(x).view(b, n, self.heads, self.hd)
        k = self.k(x).view(b, n, self.heads, self.hd)
        pairwise = (q.unsqueeze(2) * k.unsqueeze(1)).sum(-1) / math.sqrt(self.hd)
        hidden = ~node_mask[:, None, :, None]
        pairwise = pairwise.masked_fill(hidden, float("-inf"))
        return torch.softmax(pairwise, dim=2)


def set_attention(queries, keys, key_valid):
    logits = torch.einsum("bqd,bkd->bqk", queries, keys)
    probs = logits.masked_fill(~key_valid[:, None, :], float("-inf")).softmax(dim=-1)
    return probs * key_valid[:, None, :].float()


class Tagger(nn.Module):
    """Logits over classes zeroed at the padding before their softmax: not attention scores."""

    def __init__(self, d=32, n=5):
        super().__init__()
        self.classifier = nn.Linear(d, n)

    def forward(self, h, mask):
        logits = self.classifier(h)
        logits = logits * mask.unsqueeze(-1).float()
        return torch.softmax(logits, dim=-1)


def pooled_features(hidden, attention_mask):
    feats = hidden * attention_mask[..., None]
    return feats.softmax(-1)
