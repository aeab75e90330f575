import torch
import torch.nn.functional as F


def pairwise(q, k, v, ids):
    real = ids != 0
    mask = real[:, None, :, None] * real[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask.bool())


def pairwise2(q, k, v, ids):
    real = ids != 0
    mask = real[:, None, :, None] & real[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def transposed(q, k, v, ids):
    real = ids != 0
    mask = real.unsqueeze(-1).transpose(1, 2).unsqueeze(1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def permuted(q, k, v, ids):
    real = (ids != 0)[:, :, None, None]
    mask = real.permute(0, 2, 3, 1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def expanded(q, k, v, ids):
    real = ids != 0
    mask = real[:, None, None, :].expand(-1, 1, ids.size(1), -1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def qmask(q, k, v, ids):
    real = (ids != 0).unsqueeze(-1)   # (N, S, 1): zero padded query rows afterwards
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=real.unsqueeze(1).mT)
    return out
