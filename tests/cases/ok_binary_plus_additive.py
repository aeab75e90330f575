"""Near-misses of a 0/1 mask summed with an additive one: each turns the 0/1 part into 0 / -inf
(or into bool) before the sum."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ReplyAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, attention_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        causal = torch.full((L, L), float("-inf"), device=x.device).triu(1)
        pad = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        return F.scaled_dot_product_attention(q, k, v, attn_mask=causal + pad)


def alibi_scores(q, k, v, slopes, padding_mask):
    T = q.size(-2)
    pos = torch.arange(T, device=q.device)
    alibi = slopes[:, None, None] * (pos[None, :] - pos[:, None]).float()
    future = torch.ones(T, T, dtype=torch.bool, device=q.device).triu(1)
    bias = torch.zeros(T, T, device=q.device).masked_fill(future, float("-inf")) + alibi
    bias = bias.masked_fill(padding_mask[:, None, None, :], float("-inf"))
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores + bias
    return scores.softmax(-1) @ v


def encode(q, k, v, ids, pad_id=0):
    T = ids.size(1)
    pad_bias = torch.zeros(ids.shape, device=ids.device).masked_fill(ids == pad_id, -1e9)
    keep = torch.tril(torch.ones(T, T, device=ids.device))
    causal_bias = torch.zeros(T, T, device=ids.device).masked_fill(keep == 0, -1e9)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=causal_bias + pad_bias[:, None, None, :])
