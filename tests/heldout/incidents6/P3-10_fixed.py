"""Encoder of a from-scratch Transformer (Attention Is All You Need), masks built in the top-level model."""
import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    def forward(self, q, k, v, mask=None):
        d_tensor = k.size(-1)
        score = (q @ k.transpose(2, 3)) / math.sqrt(d_tensor)
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        score = torch.softmax(score, dim=-1)
        return score @ v, score


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.attention = ScaleDotProductAttention()
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)

    def split(self, t):
        b, l, d = t.size()
        return t.view(b, l, self.n_head, d // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, _ = self.attention(q, k, v, mask=mask)
        b, h, l, d = out.size()
        return self.w_concat(out.transpose(1, 2).contiguous().view(b, l, h * d))


class EncoderLayer(nn.Module):
    def __init__(self, d_model, ffn_hidden, n_head, drop_prob):
        super().__init__()
        self.attention = MultiHeadAttention(d_model, n_head)
        self.norm1 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, ffn_hidden), nn.ReLU(), nn.Dropout(drop_prob), nn.Linear(ffn_hidden, d_model))
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, src_mask):
        x = self.norm1(x + self.attention(x, x, x, mask=src_mask))
        return self.norm2(x + self.ffn(x))


class Encoder(nn.Module):
    def __init__(self, vocab, d_model=32, ffn_hidden=64, n_head=4, n_layers=2, drop_prob=0.1, max_len=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model, padding_idx=1)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList([EncoderLayer(d_model, ffn_hidden, n_head, drop_prob) for _ in range(n_layers)])

    def forward(self, x, src_mask):
        h = self.emb(x) + self.pos(torch.arange(x.size(1), device=x.device))
        for layer in self.layers:
            h = layer(h, src_mask)
        return h


class Transformer(nn.Module):
    def __init__(self, src_pad_idx, enc_voc_size):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.encoder = Encoder(enc_voc_size)

    def make_src_mask(self, src):
        src_mask = (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)
        return src_mask

    def forward(self, src):
        return self.encoder(src, self.make_src_mask(src))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer(src_pad_idx=1, enc_voc_size=40)
    src = torch.randint(2, 40, (2, 7))
    src[1, 4:] = 1
    print(model(src).shape)
