"""flash-attn style `key_padding_mask` (True = keep): the code writes 0 where it is True, so it
reads the mask as a keep mask whatever torch's name convention says (silent)."""
import math

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def forward(self, qkv, key_padding_mask=None):
        batch, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        scores = torch.einsum("bthd,bshd->bhts", q, k / math.sqrt(q.shape[-1]))
        if key_padding_mask is not None:
            bias = torch.full((batch, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            bias.masked_fill_(key_padding_mask, 0.0)
            scores = scores + bias[:, None, None, :]
        return torch.einsum("bhts,bshd->bthd", scores.softmax(-1), v)


class Block(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.inner = SelfAttention()

    def forward(self, x, attention_mask=None):
        qkv = self.qkv(x).view(x.size(0), x.size(1), 3, self.heads, -1)
        return self.inner(qkv, key_padding_mask=None if attention_mask is None else attention_mask.bool())
