import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(query, key, value, mask=None, dropout=None):
    d_k = query.size(-1)
    scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e10)  # BUG
    p_attn = F.softmax(scores, dim=-1)
    if dropout is not None:
        p_attn = dropout(p_attn)
    return torch.matmul(p_attn, value), p_attn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout=0.0):
        super().__init__()
        assert d_model % h == 0
        self.d_k = d_model // h
        self.h = h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])
        self.attn = None
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, query, key, value, mask=None):
        if mask is not None:
            mask = mask.unsqueeze(1)
        nbatches = query.size(0)
        query, key, value = [l(x).view(nbatches, -1, self.h, self.d_k).transpose(1, 2)
                             for l, x in zip(self.linears, (query, key, value))]
        x, self.attn = attention(query, key, value, mask=mask, dropout=self.dropout)
        x = x.transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
        return self.linears[-1](x)


def subsequent_mask(size):
    return torch.tril(torch.ones(1, size, size, dtype=torch.uint8))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = MultiHeadedAttention(h=2, d_model=16)
    x = torch.randn(2, 5, 16)
    tgt_mask = (torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]]) != 0).unsqueeze(-2) & subsequent_mask(5).bool()
    attn_half = attn.half()
    try:
        out = attn_half(x.half(), x.half(), x.half(), tgt_mask)
        print(f"O2-style half-precision forward ok, NaN count: {int(torch.isnan(out).sum())}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
