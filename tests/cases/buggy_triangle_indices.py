"""Scores masked in place through triangle indices or a bool index (P7-1, pbloem/former#10)."""
import torch
import torch.nn.functional as F


def mask_(matrices, maskval=float("-inf"), mask_diagonal=True):
    b, h, w = matrices.size()
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[:, indices[0], indices[1]] = maskval


def self_attention(x):
    b, t, e = x.shape
    dot = torch.bmm(x, x.transpose(1, 2)) / e ** 0.5
    rows, cols = torch.triu_indices(t, t)
    dot[:, rows, cols] = float("-inf")  # expect: ML404
    return torch.bmm(F.softmax(dot, dim=2), x)


def keep_lower(q, k, v):
    t = q.size(-2)
    scores = q @ k.transpose(-2, -1)
    lower = torch.tril_indices(t, t, offset=0)
    scores[..., lower[0], lower[1]] = -1e9  # expect: ML101
    return scores.softmax(-1) @ v


def bool_index(q, k, v):
    t = q.size(-2)
    scores = q @ k.transpose(-2, -1)
    hide = torch.ones(t, t, dtype=torch.bool).triu()
    scores[:, :, hide] = float("-inf")  # expect: ML404
    return scores.softmax(-1) @ v
