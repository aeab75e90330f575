import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    """Compute 'Scaled Dot Product Attention'"""

    def forward(self, query, key, value, mask: Optional[torch.Tensor] = None, dropout: Optional[nn.Module] = None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(query.size(-1))
        if mask is not None:
            if scores.dtype == torch.float16:
                min_mask = -65504.0
            else:
                min_mask = -1e9
            scores = scores.masked_fill(mask == 0, min_mask)
        p_attn = F.softmax(scores, dim=-1)
        if dropout is not None:
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
        x, attn = self.attention(query, key, value, mask=mask, dropout=self.dropout)
        x = x.transpose(1, 2).contiguous().view(batch_size, -1, self.h * self.d_k)
        return self.output_linear(x)


class BERT(nn.Module):
    def __init__(self, vocab_size=100, hidden=32, attn_heads=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.attention = MultiHeadedAttention(attn_heads, hidden)

    def forward(self, x):
        # attention masking for padded token: (batch, 1, seq_len, seq_len)
        mask = (x > 0).unsqueeze(1).repeat(1, x.size(1), 1).unsqueeze(1)
        h = self.embedding(x)
        return self.attention(h, h, h, mask=mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BERT().eval()
    tokens = torch.tensor([[5, 17, 33, 8, 0, 0], [9, 2, 4, 71, 13, 6]])
    with torch.no_grad():
        print("fp32:", model(tokens).shape)
        print("fp16:", model.half()(tokens).dtype)  # torchbench fp16 inference
