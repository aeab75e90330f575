"""Correct smoke tests writing rows of 3-D masks."""
import torch
import torch.nn.functional as F


def test_sdpa_row_mask():
    q = k = v = torch.randn(2, 4, 10, 8)
    keep = torch.ones(2, 10, 10, dtype=torch.bool)
    keep[0, 2, 7:] = False          # query 2 of sample 0 cannot see keys 7..9
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None])
    return out


def test_mha_block_mask():
    mha = torch.nn.MultiheadAttention(16, 2, batch_first=True)
    x = torch.randn(2, 10, 16)
    block = torch.zeros(2 * 2, 10, 10, dtype=torch.bool)
    block[0, 2, 7:] = True          # head 0 of sample 0, query 2: keys 7.. hidden
    return mha(x, x, x, attn_mask=block)


def test_3d_float_bias():
    q = k = v = torch.randn(2, 4, 10, 8)
    bias = torch.zeros(2, 10, 10)
    bias[1, 3, 5:] = float("-inf")
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias[:, None])


def test_3d_mid_slice():
    q = k = v = torch.randn(2, 4, 10, 8)
    keep = torch.ones(2, 10, 10, dtype=torch.bool)
    keep[0, 2, :3] = False   # left-padded
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None])
