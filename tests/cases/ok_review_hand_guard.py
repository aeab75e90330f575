import math
import torch
import torch.nn as nn


class CausalSelfAttention(nn.Module):
    def __init__(self, d, block_size):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size, dtype=torch.bool)))

    def forward(self, x, padding_mask=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        causal = self.bias[:T, :T]
        mask = None
        if padding_mask is not None:
            mask = causal & ~padding_mask[:, None, :]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C)
        if mask is not None:
            att = att.masked_fill(~mask, float("-inf"))
        else:
            att = att.masked_fill(~causal, float("-inf"))
        att = att.softmax(dim=-1)
        return att @ v
