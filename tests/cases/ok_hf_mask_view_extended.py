"""The same extensions written right: `== 0` (or `~`) before masked_fill, and a causal mask viewed
as (1, 1, T, T)."""
import math

import torch
import torch.nn as nn


class DistilStyleAttention(nn.Module):
    def __init__(self, dim=32, n_heads=4):
        super().__init__()
        self.n_heads, self.dim = n_heads, dim
        self.q_lin, self.k_lin = nn.Linear(dim, dim), nn.Linear(dim, dim)

    def forward(self, x, attention_mask):
        bs, q_length, dim = x.size()
        mask_reshp = (bs, 1, 1, q_length)
        q = self.q_lin(x).view(bs, -1, self.n_heads, dim // self.n_heads).transpose(1, 2)
        k = self.k_lin(x).view(bs, -1, self.n_heads, dim // self.n_heads).transpose(1, 2)
        scores = torch.matmul(q / math.sqrt(dim // self.n_heads), k.transpose(2, 3))
        mask = (attention_mask == 0).view(mask_reshp).expand_as(scores)
        scores = scores.masked_fill(mask, torch.tensor(torch.finfo(scores.dtype).min))
        return scores.softmax(-1)


def reshaped(scores, attention_mask):
    keep = attention_mask.reshape(scores.size(0), 1, 1, -1).bool()
    return scores.masked_fill(~keep, float("-inf")).softmax(dim=-1)


def causal(scores):
    t = scores.size(-1)
    future = torch.triu(torch.ones(t, t, dtype=torch.bool), 1).view(1, 1, t, t)
    return scores.masked_fill(future, float("-inf")).softmax(-1)
