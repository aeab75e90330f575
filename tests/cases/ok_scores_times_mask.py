import math

import torch
import torch.nn.functional as F


def tf_bert_style(q, k, v, input_ids):
    keep = (input_ids != 0)[:, None, None, :].float()
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores * keep + (1.0 - keep) * -10000.0
    return F.softmax(scores, dim=-1) @ v


def renormalised(q, k, v, input_ids):
    keep = (input_ids != 0)[:, None, None, :].float()
    probs = F.softmax(q @ k.transpose(-2, -1), dim=-1) * keep
    probs = probs / probs.sum(-1, keepdim=True).clamp(min=1e-9)
    return probs @ v


def temperature(q, k, v, tau):
    scores = (q @ k.transpose(-2, -1)) * tau
    return scores.softmax(-1) @ v
