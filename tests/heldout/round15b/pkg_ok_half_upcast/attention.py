import math

import torch
from torch import nn


class MaskedAttention(nn.Module):
    def __init__(self, h, d_model):
        super().__init__()
        self.h, self.d_k = h, d_model // h
        self.q, self.k, self.v, self.o = (nn.Linear(d_model, d_model) for _ in range(4))

    def forward(self, x, mask):
        b, n, _ = x.shape
        q, k, v = (lin(x).view(b, n, self.h, self.d_k).transpose(1, 2) for lin in (self.q, self.k, self.v))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.d_k)
        scores = scores.float().masked_fill(mask == 0, -1e9)
        probs = scores.softmax(dim=-1).to(v.dtype)
        return self.o(torch.matmul(probs, v).transpose(1, 2).reshape(b, n, -1))
