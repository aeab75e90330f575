import math

import torch
import torch.nn as nn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model):
        super().__init__()
        self.d_k = d_model // h
        self.h = h
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])

    def attention(self, query, key, value, mask=None):
        scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(self.d_k)
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e10)  # BUG
        p_attn = scores.softmax(dim=-1)
        return torch.matmul(p_attn, value), p_attn

    def forward(self, query, key, value, mask=None):
        if mask is not None:
            mask = mask.unsqueeze(1)
        nbatches = query.size(0)
        query, key, value = [
            lin(x).view(nbatches, -1, self.h, self.d_k).transpose(1, 2)
            for lin, x in zip(self.linears, (query, key, value))
        ]
        x, self.attn = self.attention(query, key, value, mask=mask)
        x = x.transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
        return self.linears[-1](x)


def subsequent_mask(size):
    return torch.triu(torch.ones(1, size, size), diagonal=1) == 0


class TinyDecoder(nn.Module):
    def __init__(self, vocab=30, d_model=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.self_attn = MultiHeadedAttention(4, d_model)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tgt, tgt_mask):
        x = self.emb(tgt)
        return self.out(x + self.self_attn(x, x, x, tgt_mask))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyDecoder().half()
    tgt = torch.randint(0, 30, (2, 6))
    pad_mask = (tgt != 0).unsqueeze(-2)
    tgt_mask = pad_mask & subsequent_mask(tgt.size(-1))
    try:
        logits = model(tgt, tgt_mask)
        print(f"half-precision step ok, loss={nn.functional.cross_entropy(logits.float().view(-1, 30), tgt.view(-1)).item():.4f}")
    except RuntimeError as err:
        print(f"RuntimeError: {err}")
