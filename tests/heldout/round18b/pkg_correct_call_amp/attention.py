import math

import torch
import torch.nn as nn


class ScaledAttention(nn.Module):
    def __init__(self, d_model, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d_model, d_model)
        self.kv = nn.Linear(d_model, 2 * d_model)
        self.o = nn.Linear(d_model, d_model)

    def forward(self, x, context, mask=None):
        B, L, D = x.shape
        S = context.size(1)
        q = self.q(x).view(B, L, self.heads, -1).transpose(1, 2)
        k, v = self.kv(context).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)).float() / math.sqrt(q.size(-1))
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)
        probs = scores.softmax(dim=-1).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(B, L, D))
