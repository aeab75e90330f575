import torch
import torch.nn.functional as F


def attend(q, k, v, lengths):
    s = k.size(-2)
    keep = torch.arange(s)[None, :] < lengths[:, None]
    keep = keep[:, None, None, :].tile((1, q.size(1), 1, 1))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
