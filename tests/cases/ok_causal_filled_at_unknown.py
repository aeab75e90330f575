"""Correct twins: the updated 4-D bias passed as the float it is; the cleared keep mask inverted
for the slot that reads True as hidden."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d(attention_mask, n, dtype):
    min_dtype = torch.finfo(dtype).min
    bias = torch.full((n, n), min_dtype, dtype=dtype).triu(1)
    bias = bias[None, None].expand(attention_mask.shape[0], 1, -1, -1).clone()
    return bias.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)


def sdpa_attention(q, k, v, am):
    bias = prepare_4d(am, q.shape[2], q.dtype)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


class Decoder(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, cut):
        t = x.shape[1]
        allowed = torch.ones(t, t, dtype=torch.bool).tril()
        allowed = allowed.masked_fill(cut, False)  # segment boundaries nobody can read here
        return self.attn(x, x, x, attn_mask=~allowed)[0]
