"""Annotated-Transformer style attention trained with fp16 autocast.

Under autocast(dtype=float16) the scores are half precision, and masked_fill with -1e9 raises
"value cannot be converted to type c10::Half without overflow" (P7-12, P7-13, P7-15): the
largest finite half is 65504.
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
            scores = scores.masked_fill(mask == 0, -1e9)  # expect: ML205
        p_attn = self.dropout(scores.softmax(dim=-1))
        x = torch.matmul(p_attn, value).transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
        return self.linears[-1](x)


def train_epoch(model, loader, optimizer, device="cuda"):
    scaler = torch.cuda.amp.GradScaler()
    model.train()
    for src, tgt, src_mask in loader:
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            out = model(src.to(device), tgt.to(device), src_mask.to(device))
            loss = F.cross_entropy(out.flatten(0, 1), tgt.flatten().to(device))
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
