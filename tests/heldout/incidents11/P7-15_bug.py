import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def forward(self, query, key, value, mask=None, dropout=None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(query.size(-1))
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)  # BUG
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


class TransformerBlock(nn.Module):
    def __init__(self, hidden, attn_heads, feed_forward_hidden, dropout=0.0):
        super().__init__()
        self.attention = MultiHeadedAttention(h=attn_heads, d_model=hidden)
        self.feed_forward = nn.Sequential(nn.Linear(hidden, feed_forward_hidden), nn.GELU(), nn.Linear(feed_forward_hidden, hidden))
        self.norm1 = nn.LayerNorm(hidden)
        self.norm2 = nn.LayerNorm(hidden)

    def forward(self, x, mask):
        x = x + self.attention(self.norm1(x), self.norm1(x), self.norm1(x), mask=mask)
        return x + self.feed_forward(self.norm2(x))


class BERT(nn.Module):
    def __init__(self, vocab_size, hidden=32, n_layers=2, attn_heads=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden, padding_idx=0)
        self.segment = nn.Embedding(3, hidden, padding_idx=0)
        self.transformer_blocks = nn.ModuleList([TransformerBlock(hidden, attn_heads, hidden * 4) for _ in range(n_layers)])

    def forward(self, x, segment_info):
        mask = (x > 0).unsqueeze(1).repeat(1, x.size(1), 1).unsqueeze(1)
        x = self.embedding(x) + self.segment(segment_info)
        for transformer in self.transformer_blocks:
            x = transformer.forward(x, mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BERT(vocab_size=50).half().eval()
    bert_input = torch.tensor([[1, 14, 22, 9, 2, 31, 0, 0], [1, 5, 17, 2, 8, 12, 40, 2]])
    segment_label = torch.tensor([[1, 1, 1, 1, 1, 2, 0, 0], [1, 1, 1, 1, 2, 2, 2, 2]])
    try:
        with torch.no_grad():
            out = model(bert_input, segment_label)
        print(f"fp16 forward ok: finite outputs {bool(torch.isfinite(out).all())}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
