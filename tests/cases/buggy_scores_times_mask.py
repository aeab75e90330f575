"""A 0/1 mask multiplied into the scores before the softmax: zeros still get weight (DiffMS#25, P2-11)."""
import math

import torch
import torch.nn.functional as F


def attend(q, k, v, pad_mask):
    attn = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    attn = attn * (pad_mask == 0)[:, None, None, :]  # expect: ML202
    return F.softmax(attn, dim=-1) @ v


def attend_causal(q, k, v):
    t = q.size(-2)
    keep = torch.tril(torch.ones(t, t, device=q.device))
    scores = torch.einsum("bhid,bhjd->bhij", q, k) * keep  # expect: ML202
    return scores.softmax(-1) @ v
