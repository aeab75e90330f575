"""Annotated-Transformer-style encoder for document classification, trained in fp16."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(query, key, value, mask=None, dropout=None):
    d_k = query.size(-1)
    scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e9)  # expect: ML205
    p_attn = F.softmax(scores, dim=-1)
    if dropout is not None:
        p_attn = dropout(p_attn)
    return torch.matmul(p_attn, value), p_attn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout=0.1):
        super().__init__()
        self.d_k, self.h = d_model // h, h
        self.linears = nn.ModuleList(nn.Linear(d_model, d_model) for _ in range(4))
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, mask=None):
        if mask is not None:
            mask = mask.unsqueeze(1)
        nb = query.size(0)
        query, key, value = [
            lin(x).view(nb, -1, self.h, self.d_k).transpose(1, 2)
            for lin, x in zip(self.linears, (query, key, value))
        ]
        x, _ = attention(query, key, value, mask=mask, dropout=self.dropout)
        x = x.transpose(1, 2).contiguous().view(nb, -1, self.h * self.d_k)
        return self.linears[-1](x)


class DocClassifier(nn.Module):
    def __init__(self, vocab, n_classes, d_model=256, h=8, n_layers=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model, padding_idx=0)
        self.attn = nn.ModuleList(MultiHeadedAttention(h, d_model) for _ in range(n_layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(n_layers))
        self.out = nn.Linear(d_model, n_classes)

    def forward(self, src):
        mask = (src != 0).unsqueeze(-2)                  # (B, 1, S)
        x = self.emb(src)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, mask)
        return self.out(x.mean(1))


def main():
    device = "cuda"
    model = DocClassifier(vocab=20000, n_classes=5).to(device).half()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, eps=1e-4)
    src = torch.randint(1, 20000, (16, 200), device=device)
    src[:, 150:] = 0
    labels = torch.randint(0, 5, (16,), device=device)
    loss = F.cross_entropy(model(src).float(), labels)
    loss.backward()
    opt.step()


if __name__ == "__main__":
    main()
