import math

import torch
import torch.nn.functional as F


def eager_attention(q, k, v, attention_mask=None, dropout=0.0):
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    if attention_mask is not None:
        scores = scores.masked_fill(attention_mask == 0, torch.finfo(scores.dtype).min)
    return F.dropout(scores.softmax(-1), dropout) @ v


def sdpa_attention(q, k, v, attention_mask=None, dropout=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, dropout_p=dropout)


ATTN_FUNCTIONS = {"eager": eager_attention, "sdpa": sdpa_attention}
