import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ScaleDotProductAttention(nn.Module):
    def forward(self, q, k, v, mask=None):
        score = (q @ k.transpose(2, 3)) / math.sqrt(k.size(-1))
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        return torch.softmax(score, dim=-1) @ v


class Encoder(nn.Module):
    def __init__(self, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.attention = ScaleDotProductAttention()

    def make_src_mask(self, src):
        return (src != self.pad_idx).unsqueeze(1).unsqueeze(2)

    def forward(self, q, k, v, src):
        return self.attention(q, k, v, mask=self.make_src_mask(src))


def sdpa_block(q, k, v, tokens, pad_id=0):
    keep = (tokens != pad_id)[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


def square(q, k, v, tokens, pad_id=0):
    real = tokens != pad_id
    pair = real.unsqueeze(1) & real.unsqueeze(2)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pair.unsqueeze(1))


def square_other_order(q, k, v, tokens, pad_id=0):
    real = tokens != pad_id
    pair = real[:, None, :, None] & real[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pair)


def pooled(h, tokens, pad_id=0):
    keep = (tokens != pad_id).unsqueeze(-1)
    return (h * keep).sum(1) / keep.sum(1)
