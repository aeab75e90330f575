"""Embeddings of padded ids attended without any padding mask (P5-4, P5-7)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionalEncoding(nn.Module):
    def __init__(self, d, max_len=128):
        super().__init__()
        self.register_buffer("pe", torch.zeros(max_len, d).unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class MoleculeTransformer(nn.Module):
    def __init__(self, vocab, d=32, nhead=4, pad_idx=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d, padding_idx=pad_idx)
        self.pos = PositionalEncoding(d)
        self.transformer = nn.Transformer(d, nhead, 1, 1, 64, batch_first=True)

    def forward(self, src, tgt):
        tgt_mask = torch.triu(torch.ones(tgt.size(1), tgt.size(1), dtype=torch.bool), diagonal=1)
        return self.transformer(self.pos(self.embedding(src)), self.pos(self.embedding(tgt)), tgt_mask=tgt_mask)  # expect: ML505


class Tagger(nn.Module):
    def __init__(self, vocab, d=32, h=4, pad=1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, pad)
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, ids):
        x = self.emb(ids)
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v)  # expect: ML505


class Pooler(nn.Module):
    def __init__(self, vocab, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, ids, query):
        x = self.emb(ids)
        out, _ = self.attn(query, x, x)  # expect: ML505
        return out
