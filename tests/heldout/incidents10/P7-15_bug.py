"""BERT_pytorch (codertimo) model/attention/single.py as used by the
torchbenchmark fp16 run.  Torch raises on the bug (value cannot be converted
to type at::Half without overflow)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    """Compute 'Scaled Dot Product Attention'."""

    def forward(self, query, key, value, mask=None, dropout=None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(query.size(-1))
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)  # BUG
        p_attn = F.softmax(scores, dim=-1)
        if dropout is not None:
            p_attn = dropout(p_attn)
        return torch.matmul(p_attn, value), p_attn


class BERT(nn.Module):
    def __init__(self, vocab_size=40, hidden=16, attn_heads=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.heads = attn_heads
        self.attention = Attention()

    def forward(self, x):
        # attention masking for padded token: (batch, 1, seq_len, seq_len)
        mask = (x > 0).unsqueeze(1).repeat(1, x.size(1), 1).unsqueeze(1)
        h = self.embedding(x)
        b, s, d = h.shape
        q = h.view(b, s, self.heads, -1).transpose(1, 2)
        out, _ = self.attention(q, q, q, mask=mask)
        return out.transpose(1, 2).reshape(b, s, d)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BERT().half()
    x = torch.tensor([[5, 6, 7, 0, 0], [1, 2, 3, 4, 5]])
    with torch.no_grad():
        out = model(x)
    with torch.no_grad():
        model.embedding.weight[0] += 5.0
        out2 = model(x)
    print("real-token change from pad content:", (out[0, :3] - out2[0, :3]).abs().max().item())
