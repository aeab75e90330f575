import torch
import torch.nn as nn
import torch.nn.functional as F


class MoleculeTransformer(nn.Module):
    def __init__(self, vocab, d=32, nhead=4, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab, d, padding_idx=pad_idx)
        self.transformer = nn.Transformer(d, nhead, 1, 1, 64, batch_first=True)

    def forward(self, src, tgt):
        tgt_mask = torch.triu(torch.ones(tgt.size(1), tgt.size(1), dtype=torch.bool), diagonal=1)
        src_pad, tgt_pad = src == self.pad_idx, tgt == self.pad_idx
        return self.transformer(self.embedding(src), self.embedding(tgt), tgt_mask=tgt_mask,
                                src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad,
                                memory_key_padding_mask=src_pad)


class CausalLM(nn.Module):
    """Right-padded batches; the causal mask keeps real tokens from the padding after them."""

    def __init__(self, vocab, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, ids):
        x = self.emb(ids)
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)


class NoPadding(nn.Module):
    def __init__(self, vocab, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, ids):
        x = self.emb(ids)
        return self.attn(x, x, x)[0]


class Masked(nn.Module):
    def __init__(self, vocab, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, ids, query):
        x = self.emb(ids)
        return self.attn(query, x, x, key_padding_mask=ids == 0)[0]


class MiniBert(nn.Module):
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
    return model(input_ids, (input_ids != 0).long())
