import torch
import torch.nn.functional as F


def encode(q, k, v, input_ids, pad_id: int = 0):
    """q, k, v: (B, H, S, D); input_ids: (B, S)."""
    pad = input_ids == pad_id  # True = padding
    for b in range(pad.size(0)):
        pad[b, 0].fill_(False)  # the CLS slot is always real
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])  # expect: ML102
