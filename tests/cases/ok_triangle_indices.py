import torch
import torch.nn.functional as F


def self_attention(x):
    b, t, e = x.shape
    dot = torch.bmm(x, x.transpose(1, 2)) / e ** 0.5
    rows, cols = torch.triu_indices(t, t, offset=1)
    dot[:, rows, cols] = float("-inf")
    return torch.bmm(F.softmax(dot, dim=2), x)


def bool_index(q, k, v):
    t = q.size(-2)
    scores = q @ k.transpose(-2, -1)
    future = torch.ones(t, t, dtype=torch.bool).triu(1)
    scores[:, :, future] = float("-inf")
    return scores.softmax(-1) @ v


def lower_index(q, k, v):
    t = q.size(-2)
    scores = q @ k.transpose(-2, -1)
    past = torch.tril_indices(t, t, offset=-1)
    scores[:, :, past[0], past[1]] = scores[:, :, past[0], past[1]] * 0.5
    return scores.softmax(-1) @ v
