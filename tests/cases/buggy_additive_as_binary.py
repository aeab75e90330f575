"""An additive (0 / -inf) mask handed to code that expects a 0/1 keep mask (`1 - mask`):
a helper written for 1/0 masks (cs249r_book PR#1785, P2-14), and an extended mask extended again."""
import math

import torch
import torch.nn as nn

NEG = -1e4


def apply_keep_mask(scores, keep):
    """keep: 1 = attend, 0 = hidden."""
    return scores + (1.0 - keep) * NEG


def attention(q, k, v, keep=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if keep is not None:
        scores = apply_keep_mask(scores, keep)
    return scores.softmax(-1) @ v


def causal_bias(n, device):
    return torch.zeros(n, n, device=device).masked_fill(
        torch.ones(n, n, dtype=torch.bool, device=device).triu(1), float("-inf"))


def decode_step(q, k, v):
    return attention(q, k, v, keep=causal_bias(q.size(-2), q.device))  # expect: ML207


def extend(attention_mask, dtype):
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class Layer(nn.Module):
    def forward(self, scores, extended_mask):
        return (scores + (1.0 - extended_mask) * -10000.0).softmax(-1)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = Layer()

    def forward(self, scores, attention_mask):
        ext = extend(attention_mask, scores.dtype)
        return self.layer(scores, ext)  # expect: ML207
