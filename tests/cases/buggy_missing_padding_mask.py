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


class MiniBert(nn.Module):
    """An all-ones attention mask for a padded batch (yg211/bert_nli PR#3, P5-6)."""

    def __init__(self, vocab, d=32, h=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.h = h
        self.qkv = nn.ModuleList([nn.Linear(d, 3 * d) for _ in range(layers)])

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        b, n, _ = x.shape
        ext = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for qkv in self.qkv:
            q, k, v = qkv(x).view(b, n, 3, self.h, -1).permute(2, 0, 3, 1, 4)
            x = x + F.scaled_dot_product_attention(q, k, v, attn_mask=ext).transpose(1, 2).reshape(b, n, -1)
        return x


def encode_pairs(input_ids):
    model = MiniBert(100)
    attention_mask = torch.ones_like(input_ids)
    return model(input_ids, attention_mask)  # expect: ML505
