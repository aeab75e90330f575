import torch
import torch.nn.functional as F


def packed_attention(q, k, v, lengths_per_row):
    b, l = q.size(0), q.size(-2)
    allowed = torch.zeros((b, l, l), dtype=q.dtype)
    for i, rows in enumerate(allowed):
        offset = 0
        for n in lengths_per_row[i]:
            rows[offset:offset + n, offset:offset + n] = 1
            offset += n
    allowed = allowed.to(torch.bool).unsqueeze(1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)


def per_sample(q, k, v, lengths):
    b, l = q.size(0), q.size(-2)
    keep = torch.zeros(b, l, l, dtype=torch.bool)
    for sample, n in zip(keep, lengths):
        sample[:n, :n] = True
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None])
