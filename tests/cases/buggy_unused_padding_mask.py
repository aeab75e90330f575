"""A padding mask built or received, then never passed (P5-5, P5-8, P5-10)."""
import torch.nn.functional as F
import torch
import torch.nn as nn


class TextClassifier(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(d_model, 2)

    def forward(self, ids):
        pad_mask = ids == self.pad_id
        h = self.encoder(self.emb(ids))  # expect: ML504
        return self.head(h.mean(1))


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, attention_mask=None):
        b, n, d = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v)
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class SdpaEncoder(nn.Module):
    def __init__(self, vocab, dim=64, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = SelfAttention(dim, heads)

    def forward(self, input_ids, pad_id=0):
        keep = input_ids != pad_id
        return self.attn(self.emb(input_ids), attention_mask=keep)  # expect: ML504


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h)
        self.ff = nn.Linear(d, d)

    def forward(self, x, key_padding_mask=None):
        y, _ = self.attn(x, x, x, need_weights=False)
        return self.ff(x + y)


class Model(nn.Module):
    def __init__(self, vocab, d=32, h=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.block = Block(d, h)

    def forward(self, src):
        pad = src == 0
        return self.block(self.emb(src), key_padding_mask=pad.t())  # expect: ML504
