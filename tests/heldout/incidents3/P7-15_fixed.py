import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def forward(self, query, key, value, mask=None, dropout=None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(query.size(-1))
        if mask is not None:
            scores = scores.masked_fill(mask == 0, torch.finfo(scores.dtype).min)
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
        b = query.size(0)
        query, key, value = [l(x).view(b, -1, self.h, self.d_k).transpose(1, 2)
                             for l, x in zip(self.linear_layers, (query, key, value))]
        x, _ = self.attention(query, key, value, mask=mask, dropout=self.dropout)
        return self.output_linear(x.transpose(1, 2).contiguous().view(b, -1, self.h * self.d_k))


class BERTEncoder(nn.Module):
    def __init__(self, vocab_size=100, hidden=64, attn_heads=4, n_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.blocks = nn.ModuleList(MultiHeadedAttention(attn_heads, hidden) for _ in range(n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(n_layers))

    def forward(self, x):
        # (B, 1, S, S): every query row hides the padded keys
        mask = (x > 0).unsqueeze(1).repeat(1, x.size(1), 1).unsqueeze(1)
        h = self.embedding(x)
        for attn, norm in zip(self.blocks, self.norms):
            h = norm(h + attn(h, h, h, mask=mask))
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BERTEncoder().half().eval()  # fp16 inference benchmark
    tokens = torch.tensor([[5, 17, 42, 8, 0, 0], [9, 3, 11, 0, 0, 0]])
    with torch.no_grad():
        out = model(tokens)
    print(out.dtype, tuple(out.shape), "finite:", bool(torch.isfinite(out).all()))
