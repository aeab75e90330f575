"""Correct twins: the documented masks converted the way their docstrings say they must be."""
import torch
import torch.nn.functional as F
from torch.nn.attention.flex_attention import flex_attention


def attend(q, k, v, mask):
    """Scaled dot-product attention.

    mask: (B, 1, L, S) float, 1.0 = attend, 0.0 = drop.
    """
    scores = q @ k.transpose(-2, -1) * q.size(-1) ** -0.5
    scores = scores.masked_fill(mask == 0, float("-inf"))
    return scores.softmax(-1) @ v


def sparse_flex(q, k, v, keep):
    """keep: [B, H, L, S] float, 1.0 = keep this pair, 0.0 = drop it."""
    def score_mod(score, b, h, q_idx, kv_idx):
        return torch.where(keep[b, h, q_idx, kv_idx] > 0, score, -float("inf"))
    return flex_attention(q, k, v, score_mod=score_mod)


def encode(q, k, v, key_mask):
    """Encoder self-attention.

    Args:
        key_mask: (batch, keys) bool, True where the key is padding.
    """
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~key_mask[:, None, None, :])


def additive(q, k, v, bias):
    """bias: (B, 1, L, S) float, 0.0 = attend, -inf = masked."""
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
