"""News classifier with hand-written attention and a key padding mask."""
import math

import torch
import torch.nn as nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head, drop=0.1):
        super().__init__()
        self.n_head = n_head
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)
        self.drop = nn.Dropout(drop)

    def split(self, t):
        b, l, d = t.size()
        return t.view(b, l, self.n_head, d // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        score = q @ k.transpose(2, 3) / math.sqrt(q.size(-1))
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000.0)
        out = self.drop(torch.softmax(score, dim=-1)) @ v
        b, h, l, d = out.size()
        return self.w_concat(out.transpose(1, 2).contiguous().view(b, l, h * d))


class EncoderLayer(nn.Module):
    def __init__(self, d_model, n_head, ffn_hidden, drop=0.1):
        super().__init__()
        self.attention = MultiHeadAttention(d_model, n_head, drop)
        self.norm1 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, ffn_hidden), nn.ReLU(), nn.Dropout(drop), nn.Linear(ffn_hidden, d_model))
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, src_mask):
        x = self.norm1(x + self.attention(x, x, x, mask=src_mask))
        return self.norm2(x + self.ffn(x))


class NewsClassifier(nn.Module):
    def __init__(self, vocab_size, n_classes, src_pad_idx=1, d_model=64, n_head=4, n_layers=2, max_len=256, drop=0.1):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=src_pad_idx)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(EncoderLayer(d_model, n_head, 4 * d_model, drop) for _ in range(n_layers))
        self.cls = nn.Linear(d_model, n_classes)

    def make_src_mask(self, src):
        return (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)

    def make_src_mask_indexed(self, src):
        return (src != self.src_pad_idx)[:, None, None, :]

    def forward(self, src):
        src_mask = self.make_src_mask(src)
        x = self.tok(src) + self.pos(torch.arange(src.size(1), device=src.device))
        for layer in self.layers:
            x = layer(x, src_mask)
        return self.cls(x[:, 0])
