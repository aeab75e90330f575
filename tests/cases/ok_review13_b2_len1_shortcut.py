"""A pooling/attention helper: a single-key sequence needs no mask (masking it would make NaN)."""
import torch
import torch.nn.functional as F


def attend(q, k, v, key_padding_mask=None):
    if k.size(-2) == 1:
        return F.scaled_dot_product_attention(q, k, v)
    attn_mask = ~key_padding_mask[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)


def run():
    B, H, L, D = 2, 2, 6, 8
    lengths = torch.tensor([6, 4])
    pad = torch.arange(L)[None] >= lengths[:, None]
    q = torch.randn(B, H, L, D)
    return attend(q, q, q, key_padding_mask=pad)
