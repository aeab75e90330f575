import torch
from torch.nn.attention.flex_attention import flex_attention


def causal_score(score, b, h, q_idx, kv_idx):
    return torch.where(kv_idx < q_idx, score, float("-inf"))  # expect: ML404


def attend(q, k, v):
    return flex_attention(q, k, v, score_mod=causal_score)
