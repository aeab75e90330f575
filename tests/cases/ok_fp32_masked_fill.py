"""Annotated-Transformer style attention with masked_fill(-1e9), trained in float32 only.

-1e9 is representable in float32 and bfloat16 alike; nothing here runs in half precision.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout=0.1):
        super().__init__()
        self.d_k = d_model // h
        self.h = h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, mask=None):
        nbatches = query.size(0)
        query, key, value = [
            lin(x).view(nbatches, -1, self.h, self.d_k).transpose(1, 2)
            for lin, x in zip(self.linears, (query, key, value))
        ]
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(self.d_k)
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)
        p_attn = self.dropout(scores.softmax(dim=-1))
        x = torch.matmul(p_attn, value).transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
        return self.linears[-1](x)


def train_epoch(model, loader, optimizer, device="cpu"):
    model.train()
    for src, tgt, src_mask in loader:
        optimizer.zero_grad(set_to_none=True)
        out = model(src.to(device), tgt.to(device), src_mask.to(device))
        loss = F.cross_entropy(out.flatten(0, 1), tgt.flatten().to(device))
        loss.backward()
        optimizer.step()
