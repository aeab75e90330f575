"""Document classifier with a hand-written transformer encoder and attention
pooling, trained with automatic mixed precision (float16 autocast)."""
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

    def forward(self, x, mask):
        # mask: (B, S), 1 = token, 0 = padding
        nb = x.size(0)
        q, k, v = [l(x).view(nb, -1, self.h, self.d_k).transpose(1, 2) for l in self.linears[:3]]
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.d_k)
        scores = scores.masked_fill(mask[:, None, None, :] == 0, -1e9)  # expect: ML205
        p_attn = self.dropout(F.softmax(scores, dim=-1))
        out = torch.matmul(p_attn, v).transpose(1, 2).contiguous().view(nb, -1, self.h * self.d_k)
        return self.linears[-1](out)


class EncoderLayer(nn.Module):
    def __init__(self, d_model, h, d_ff, dropout=0.1):
        super().__init__()
        self.attn = MultiHeadedAttention(h, d_model, dropout)
        self.ff = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d_model))
        self.n1, self.n2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, mask):
        x = x + self.attn(self.n1(x), mask)
        return x + self.ff(self.n2(x))


class AttentionPool(nn.Module):
    def __init__(self, d_model):
        super().__init__()
        self.score = nn.Linear(d_model, 1)

    def forward(self, x, mask):
        logits = self.score(x).squeeze(-1)
        mask_value = torch.finfo(torch.float32).min  # expect: ML205
        logits = logits.masked_fill(mask == 0, mask_value)
        w = logits.softmax(dim=-1).unsqueeze(-1)
        return (w * x).sum(1)


class DocClassifier(nn.Module):
    def __init__(self, vocab, d_model=512, h=8, n_layers=6, n_classes=20):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model, padding_idx=0)
        self.pos = nn.Embedding(1024, d_model)
        self.layers = nn.ModuleList(EncoderLayer(d_model, h, 4 * d_model) for _ in range(n_layers))
        self.pool = AttentionPool(d_model)
        self.fc = nn.Linear(d_model, n_classes)

    def forward(self, ids):
        mask = (ids != 0).long()
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for layer in self.layers:
            x = layer(x, mask)
        return self.fc(self.pool(x, mask))


def train(model, loader, epochs=5, lr=1e-4):
    model.cuda()
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    scaler = torch.cuda.amp.GradScaler()
    for _ in range(epochs):
        for ids, labels in loader:
            ids, labels = ids.cuda(), labels.cuda()
            with torch.autocast(device_type="cuda", dtype=torch.float16):
                loss = F.cross_entropy(model(ids), labels)
            opt.zero_grad()
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
