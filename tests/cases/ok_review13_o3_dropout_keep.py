"""Not a mask: a keep probability documented 1.0 = keep."""
import torch
import torch.nn.functional as F


def residual(x, h, keep_prob=1.0):
    """Stochastic depth.

    Args:
        keep_prob (float): probability of keeping the branch; 1.0 = keep always (no drop).
    """
    if keep_prob < 1.0:
        h = F.dropout(h, p=1.0 - keep_prob)
    return x + keep_prob * h


def alibi_scores(q, k, slope_scale):
    """
    Args:
        slope_scale (float): multiplies the ALiBi slopes; 1.0 = keep the default slopes, 0.0 = drop ALiBi.
    """
    L = q.size(-2)
    dist = torch.arange(L)[None, :] - torch.arange(L)[:, None]
    scores = q @ k.transpose(-1, -2)
    scores = scores + slope_scale * dist
    return scores.softmax(-1)


def temp_scores(q, k, v, temperature):
    """
    Args:
        temperature (float): softmax temperature; 1.0 = keep the logits as they are.
    """
    scores = q @ k.transpose(-1, -2) + temperature
    return scores.softmax(-1) @ v
