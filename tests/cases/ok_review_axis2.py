import torch
import torch.nn.functional as F


def viewed(q, k, v, ids):
    N, S = ids.shape
    real = (ids != 0).unsqueeze(-1)          # (N, S, 1), also used to zero padded outputs
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=real.view(N, 1, 1, S))
    return out * real.unsqueeze(1)


def squeezed(q, k, v, ids):
    real = (ids != 0).unsqueeze(-1)          # (N, S, 1)
    mask = real.squeeze(-1)[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
