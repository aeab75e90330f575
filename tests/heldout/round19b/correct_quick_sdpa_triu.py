"""Minimal causal self-attention heads, run on a random batch at import time."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalHead(nn.Module):
    def __init__(self, n_embd, head_size, block_size=64):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer("future", torch.triu(torch.ones(block_size, block_size), diagonal=1).bool())

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.query(x), self.key(x), self.value(x)
        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=~self.future[:T, :T], scale=1.0 / math.sqrt(k.size(-1))
        )


class MultiHead(nn.Module):
    def __init__(self, n_embd=32, n_head=4, block_size=64):
        super().__init__()
        self.heads = nn.ModuleList(CausalHead(n_embd, n_embd // n_head, block_size) for _ in range(n_head))
        self.proj = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        return self.proj(torch.cat([h(x) for h in self.heads], dim=-1))


torch.manual_seed(1337)
x = torch.randn(4, 8, 32)
y = MultiHead(32, 4)(x)
print(y.shape, y[0, 0, :4])
