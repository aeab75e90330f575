"""A helper that passes 4-D masks through as they are: an int64 window mask reaches SDPA (unsloth PR#1762, P2-8)."""
import torch
import torch.nn.functional as F


def sliding_window_mask(attention_mask, window):
    n = attention_mask.shape[-1]
    idx = torch.arange(n)
    keep = (idx[None, :] <= idx[:, None]) & (idx[:, None] - idx[None, :] < window)
    return keep.to(attention_mask.dtype)[None, None] * attention_mask[:, None, None, :]


def prepare_for_sdpa(mask):
    if mask.dim() == 4:
        return mask  # already in its final form
    return None


def attend(q, k, v):
    attention_mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    mask = prepare_for_sdpa(sliding_window_mask(attention_mask, 2))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML203
