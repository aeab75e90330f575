"""A smoke test pads one row of a 3-D keep mask (`res_mask[0, 2, 7:] = False`, MSA rows): the
module turns it into an additive bias the wrong way round (catalogue-style ML103, round 9)."""
import torch
import torch.nn.functional as F


def residue_bias(res_mask):
    return torch.where(res_mask, float("-inf"), 0.0)[:, None, None, :]


def row_attention(q, k, v, res_mask):
    n, r, length = res_mask.shape
    bias = residue_bias(res_mask.reshape(n * r, length))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103


def smoke():
    q = k = v = torch.randn(3, 2, 10, 8)
    res_mask = torch.ones(1, 3, 10, dtype=torch.bool)
    res_mask[0, 2, 7:] = False
    return row_attention(q, k, v, res_mask)
