"""A 0/1 float mask summed with an additive one: the additive part still hides what it hid, the
0/1 part adds 1 or 0 to the scores and hides nothing (round18b's reply generator; variants)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ReplyAttention(nn.Module):
    """A causal bias plus a tokenizer mask converted to float."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, attention_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        causal = torch.full((L, L), float("-inf"), device=x.device).triu(1)
        bias = causal + attention_mask[:, None, None, :].to(x.dtype)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML202


def alibi_scores(q, k, v, slopes, padding_mask):
    """An ALiBi bias and a causal -inf part, then the padding mask (True = padding) added as 0/1."""
    T = q.size(-2)
    pos = torch.arange(T, device=q.device)
    alibi = slopes[:, None, None] * (pos[None, :] - pos[:, None]).float()
    future = torch.ones(T, T, dtype=torch.bool, device=q.device).triu(1)
    bias = torch.zeros(T, T, device=q.device).masked_fill(future, float("-inf"))
    bias = bias + alibi
    bias = bias + padding_mask.unsqueeze(1).unsqueeze(2).float()
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores + bias  # expect: ML202
    return scores.softmax(-1) @ v


def encode(q, k, v, ids, pad_id=0):
    """The causal part as a 0/1 float keep mask (tril of ones), summed with an additive padding
    bias: the padding is hidden, the future is not."""
    T = ids.size(1)
    pad_bias = torch.zeros(ids.shape, device=ids.device).masked_fill(ids == pad_id, -1e9)
    keep = torch.tril(torch.ones(T, T, device=ids.device))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep + pad_bias[:, None, None, :])  # expect: ML202
