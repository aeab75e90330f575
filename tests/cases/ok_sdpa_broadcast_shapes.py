"""Masks of every shape SDPA broadcasts correctly (the table's accepted shapes)."""
import torch
import torch.nn.functional as F


def attend(q, k, v, tokens, pad_id: int):
    L = q.size(-2)
    keep = torch.tril(torch.ones(L, L, dtype=torch.bool, device=q.device))
    real = tokens != pad_id  # (N, S)
    a = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # (L, S)
    b = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[None])  # (1, L, S)
    c = F.scaled_dot_product_attention(q, k, v, attn_mask=keep.unsqueeze(0).unsqueeze(0))  # (1, 1, L, S)
    d = F.scaled_dot_product_attention(q, k, v, attn_mask=real[:, None, None, :])  # (N, 1, 1, S)
    e = F.scaled_dot_product_attention(q, k, v, attn_mask=real[:, None, None, :] & keep)  # (N, 1, L, S)
    return a + b + c + d + e
