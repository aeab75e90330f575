"""A padding mask broadcast along the queries hides padded rows, not padded keys (P3-10)."""
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
        return (src != self.pad_idx).unsqueeze(1).unsqueeze(3)

    def forward(self, q, k, v, src):
        src_mask = self.make_src_mask(src)
        return self.attention(q, k, v, mask=src_mask)  # expect: ML304


def sdpa_block(q, k, v, tokens, pad_id=0):
    keep = (tokens != pad_id)[:, None, :, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML304


def additive(q, k, v, attention_mask):
    pad = (attention_mask == 0).unsqueeze(-1).unsqueeze(1)
    scores = q @ k.transpose(-1, -2)
    scores = scores.masked_fill(pad, float("-inf"))  # expect: ML304
    return scores.softmax(-1) @ v
