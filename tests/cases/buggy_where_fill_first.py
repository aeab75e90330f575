"""Hand-written attention that writes the mask as torch.where(mask, -inf, scores): a masked_fill
spelled as a where, the -inf where the mask is True."""
import math

import torch


def attend(q, k, v):
    t = q.size(-2)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    no_peek = torch.triu(torch.ones(t, t, dtype=torch.bool))
    return torch.where(no_peek, float("-inf"), scores).softmax(dim=-1) @ v  # expect: ML404


def attend_keep(q, k, v):
    t = q.size(-2)
    scores = q @ k.transpose(-1, -2)
    allowed = torch.tril(torch.ones(t, t, dtype=torch.bool))
    w = torch.where(allowed, float("-inf"), scores)  # expect: ML101
    return w.softmax(-1) @ v


def attend_fixed(q, k, v):
    t = q.size(-2)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    future = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    return torch.where(future, float("-inf"), scores).softmax(dim=-1) @ v


if __name__ == "__main__":
    x = torch.randn(2, 5, 8)
    attend_fixed(x, x, x)
