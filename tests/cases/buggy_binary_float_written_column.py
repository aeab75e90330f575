"""A 0/1 float keep mask (top-k keys, causal) with its first column opened by a write, then added
to the scores: a 0/1 float mask masks nothing when added."""
import torch
import torch.nn.functional as F
from torch.nn.attention.flex_attention import flex_attention


def topk_keep(q, k, n_keep):
    scores = q @ k.transpose(-1, -2)
    keep = torch.zeros_like(scores)
    keep.scatter_(-1, scores.topk(n_keep, dim=-1).indices, 1.0)
    return keep


def sparse_sdpa(q, k, v, n_keep=4):
    keep = topk_keep(q, k, n_keep)
    keep[..., 0] = 1.0
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML202


def sparse_flex(q, k, v, n_keep=4):
    keep = topk_keep(q, k, n_keep)
    keep[..., 0] = 1.0

    def score_mod(score, b, h, q_idx, kv_idx):
        return score + keep[b, h, q_idx, kv_idx]  # expect: ML202

    return flex_attention(q, k, v, score_mod=score_mod)
