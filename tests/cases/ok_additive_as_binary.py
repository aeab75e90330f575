"""`1 - mask` of 0/1 keep masks, and additive masks added as they are (silent)."""
import math

import torch
import torch.nn as nn

NEG = -1e4


def apply_keep_mask(scores, keep):
    return scores + (1.0 - keep) * NEG


def attention(q, k, v, keep=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if keep is not None:
        scores = apply_keep_mask(scores, keep)
    return scores.softmax(-1) @ v


def decode_step(q, k, v):
    n = q.size(-2)
    return attention(q, k, v, keep=torch.ones(n, n, device=q.device).tril())


def extend(attention_mask, dtype):
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class Layer(nn.Module):
    def forward(self, scores, extended_mask):
        return (scores + extended_mask).softmax(-1)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = Layer()

    def forward(self, scores, attention_mask):
        return self.layer(scores, extend(attention_mask, scores.dtype))


def run():
    mask = torch.tensor([[1, 1, 1, 0]])
    return Encoder()(torch.randn(1, 2, 4, 4), mask)


class Transformer2D(nn.Module):
    """Converts only a raw (N, S) mask: an already additive 3-D one passes through."""

    def forward(self, hidden_states, attention_mask=None):
        if attention_mask is not None and attention_mask.ndim == 2:
            attention_mask = (1 - attention_mask.to(hidden_states.dtype)) * -10000.0
            attention_mask = attention_mask.unsqueeze(1)
        scores = hidden_states @ hidden_states.transpose(-1, -2)
        if attention_mask is not None:
            scores = scores + attention_mask
        return scores.softmax(-1) @ hidden_states


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Transformer2D()

    def forward(self, sample, attention_mask=None):
        if attention_mask is not None:
            attention_mask = (1 - attention_mask.to(sample.dtype)) * -10000.0
            attention_mask = attention_mask.unsqueeze(1)
        return self.block(sample, attention_mask=attention_mask)
