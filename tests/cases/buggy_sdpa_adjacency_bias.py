import torch
import torch.nn.functional as F


def neighbourhood_attention(q, k, v, connected):
    bias = torch.where(connected, -1e9, 0.0)[:, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias.to(q.dtype))  # expect: ML103
