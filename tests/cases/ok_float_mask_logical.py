"""Bool masks combined with &, converted to float only at the end (silent)."""
import torch
import torch.nn.functional as F


def set_mask(cell_counts, max_cells):
    valid = torch.arange(max_cells)[None, :] < cell_counts[:, None]
    return valid[:, :, None] & valid[:, None, :]


def attend(q, k, v, counts):
    keep = set_mask(counts, q.size(-2))[:, None]
    bias = torch.zeros(keep.shape, dtype=q.dtype, device=q.device).masked_fill(~keep, float("-inf"))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


def transfer(committed, confidence, threshold):
    """zeros_like keeps its input's dtype: a bool mask, combined with | (silent)."""
    chosen = confidence > threshold
    edited = torch.zeros_like(committed)
    return chosen | edited


def pair_attention(q, k, v, cell_mask):
    """cell_mask: (B, S) float, 1.0 = real cell, 0.0 = padding slot."""
    real = cell_mask > 0
    pair = real[:, :, None] & real[:, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pair[:, None])
