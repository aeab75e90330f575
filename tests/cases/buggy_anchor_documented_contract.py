"""A helper that documents what its mask holds converts it by contract: the caller that passes the
other kind is at fault, and the finding is reported there."""
import torch
import torch.nn.functional as F


def masked_softmax(scores, mask):
    """Softmax over the last axis.

    mask: (L, S) float, 1.0 = keep, 0.0 = drop.
    """
    return F.softmax(scores.masked_fill(mask == 0, float("-inf")), dim=-1)


def attend(q, k, v, mask):
    scores = q @ k.transpose(-2, -1) * q.size(-1) ** -0.5
    return masked_softmax(scores, mask) @ v


def block(x):
    t = x.size(-2)
    bias = torch.full((t, t), float("-inf")).triu(1)  # additive: 0 = attend
    return attend(x, x, x, bias)  # expect: ML101
