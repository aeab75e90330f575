"""Helpers whose docstrings say what their mask holds, then misuse it: a 0/1 float keep mask
added to the scores (hand-written and in a flex score_mod), a padding mask documented True at
the padding handed to SDPA as is."""
import torch
import torch.nn.functional as F
from torch.nn.attention.flex_attention import flex_attention


def attend(q, k, v, mask):
    """Scaled dot-product attention.

    mask: (B, 1, L, S) float, 1.0 = attend, 0.0 = drop.
    """
    scores = q @ k.transpose(-2, -1) * q.size(-1) ** -0.5
    scores = scores + mask  # expect: ML202
    return scores.softmax(-1) @ v


def sparse_flex(q, k, v, keep):
    """keep: [B, H, L, S] float, 1.0 = keep this pair, 0.0 = drop it."""
    def score_mod(score, b, h, q_idx, kv_idx):
        return score + keep[b, h, q_idx, kv_idx]  # expect: ML202
    return flex_attention(q, k, v, score_mod=score_mod)


def encode(q, k, v, key_mask):
    """Encoder self-attention.

    Args:
        key_mask: (batch, keys) bool, True where the key is padding.
    """
    return F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask[:, None, None, :])  # expect: ML102
