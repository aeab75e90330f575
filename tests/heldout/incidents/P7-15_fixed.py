import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    """Compute 'Scaled Dot Product Attention'"""

    def forward(self, query, key, value, dropout: nn.Module, mask: Optional[torch.Tensor] = None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(query.size(-1))
        if mask is not None:
            if scores.dtype == torch.float16:
                min_mask = -65504.0
            else:
                min_mask = -1e9
            scores = scores.masked_fill(mask == 0, min_mask)
        p_attn = F.softmax(scores, dim=-1)
        p_attn = dropout(p_attn)
        return torch.matmul(p_attn, value), p_attn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout=0.1):
        super().__init__()
        self.d_k, self.h = d_model // h, h
        self.linear_layers = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(3)])
        self.output_linear = nn.Linear(d_model, d_model)
        self.attention = Attention()
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, query, key, value, mask=None):
        batch_size = query.size(0)
        query, key, value = [l(x).view(batch_size, -1, self.h, self.d_k).transpose(1, 2)
                             for l, x in zip(self.linear_layers, (query, key, value))]
        x, attn = self.attention(query, key, value, dropout=self.dropout, mask=mask)
        x = x.transpose(1, 2).contiguous().view(batch_size, -1, self.h * self.d_k)
        return self.output_linear(x)


class BERT(nn.Module):
    def __init__(self, vocab_size=30, hidden=8, attn_heads=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.attention = MultiHeadedAttention(h=attn_heads, d_model=hidden, dropout=0.0)
        self.norm = nn.LayerNorm(hidden)

    def forward(self, x):
        # attention masking for padded token: (batch_size, 1, seq_len, seq_len)
        mask = (x > 0).unsqueeze(1).repeat(1, x.size(1), 1).unsqueeze(1)
        h = self.embedding(x)
        return self.norm(h + self.attention(h, h, h, mask=mask))


def run():
    model = BERT().half()  # fp16 inference benchmark
    x = torch.tensor([[3, 5, 7, 9, 2], [4, 6, 2, 0, 0]])
    with torch.no_grad():
        return model(x)
