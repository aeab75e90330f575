import torch
import torch.nn.functional as F


def attend(q, k, v, lengths):
    """q, k, v: (B, H, T, D); lengths: the real tokens per row (each >= 1)."""
    B, T = q.shape[0], q.shape[2]
    allowed = torch.zeros(B, T, T, dtype=torch.bool)
    for i in range(B):
        allowed[i, :, :lengths[i]].fill_(True)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed.unsqueeze(1))
