"""torch.where over scores with a tensor of one large negative as the fill: the fill is that
constant, and the mask is read as True = kept."""
import torch


def attention(q, k, v, ids):
    pad = (ids == 0)[:, None, None, :]
    scores = q @ k.transpose(-2, -1)
    scores = torch.where(pad, scores, torch.full_like(scores, float("-inf")))  # expect: ML102
    return scores.softmax(-1) @ v
