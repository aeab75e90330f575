"""A 0/1 float keep mask with its first column opened by a write, turned into a bool mask (SDPA)
and into -inf where not kept (flex score_mod): correct."""
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
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep.bool())


def sparse_flex(q, k, v, n_keep=4):
    keep = topk_keep(q, k, n_keep)
    keep[..., 0] = 1.0

    def score_mod(score, b, h, q_idx, kv_idx):
        return torch.where(keep[b, h, q_idx, kv_idx] > 0, score, -float("inf"))

    return flex_attention(q, k, v, score_mod=score_mod)
