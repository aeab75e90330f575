"""A helper of this file writes a large negative into an additive bias; only its callers make the
bias half precision (states cast with .to(float16) / .half()).  The finding belongs on the
constant, where it is written, not on each caller."""
import torch
import torch.nn.functional as F


def padding_bias(states, keep):
    bias = states.new_zeros(states.shape[0], 1, 1, states.shape[1])
    bias.masked_fill_(~keep[:, None, None, :], -1e9)  # expect: ML205
    return bias


def window_bias(scores, allowed):
    return torch.zeros_like(scores).masked_fill(~allowed, -1e10)  # expect: ML205


def encode(q, states, ids):
    states = states.to(torch.float16)
    bias = padding_bias(states, ids != 0)
    return F.scaled_dot_product_attention(q.half(), states[:, None], states[:, None], attn_mask=bias)


def local_attention(q, k, v, window):
    q, k, v = q.half(), k.half(), v.half()
    scores = q @ k.transpose(-2, -1)
    n = scores.shape[-1]
    i = torch.arange(n)
    allowed = (i[:, None] - i[None, :]).abs() <= window
    return (scores + window_bias(scores, allowed)).softmax(-1) @ v
