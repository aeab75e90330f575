# EXPECT: bug the source padding mask is shaped (B, 1, L, 1) with unsqueeze(1).unsqueeze(3), so F.scaled_dot_product_attention masks padded query rows instead of padded keys and real tokens still attend to padding.
"""Transformer encoder for sequence tagging in the style of hyunwoongko/transformer (make_src_mask + MultiHeadAttention), using scaled_dot_product_attention."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head, drop_prob):
        super().__init__()
        self.n_head = n_head
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)
        self.drop_prob = drop_prob

    def split(self, t):
        b, l, d = t.size()
        return t.view(b, l, self.n_head, d // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.drop_prob if self.training else 0.0)  # BUG-SITE
        b, h, l, d = out.size()
        return self.w_concat(out.transpose(1, 2).reshape(b, l, h * d))


class EncoderLayer(nn.Module):
    def __init__(self, d_model, ffn_hidden, n_head, drop_prob):
        super().__init__()
        self.attention = MultiHeadAttention(d_model, n_head, drop_prob)
        self.norm1 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(drop_prob)
        self.ffn = nn.Sequential(nn.Linear(d_model, ffn_hidden), nn.ReLU(), nn.Dropout(drop_prob), nn.Linear(ffn_hidden, d_model))
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout2 = nn.Dropout(drop_prob)

    def forward(self, x, src_mask):
        x = self.norm1(x + self.dropout1(self.attention(x, x, x, mask=src_mask)))
        return self.norm2(x + self.dropout2(self.ffn(x)))


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        pos = torch.arange(0, max_len).float().unsqueeze(1)
        _2i = torch.arange(0, d_model, step=2).float()
        pe[:, 0::2] = torch.sin(pos / (10000 ** (_2i / d_model)))
        pe[:, 1::2] = torch.cos(pos / (10000 ** (_2i / d_model)))
        self.register_buffer("encoding", pe, persistent=False)

    def forward(self, x):
        return self.encoding[: x.size(1)]


class Tagger(nn.Module):
    def __init__(self, src_pad_idx=1, voc_size=64, n_tags=6, d_model=32, n_head=4, ffn_hidden=64, n_layers=2, max_len=20, drop_prob=0.1):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.tok_emb = nn.Embedding(voc_size, d_model, padding_idx=src_pad_idx)
        self.pos_emb = PositionalEncoding(d_model, max_len)
        self.drop = nn.Dropout(drop_prob)
        self.layers = nn.ModuleList([EncoderLayer(d_model, ffn_hidden, n_head, drop_prob) for _ in range(n_layers)])
        self.out = nn.Linear(d_model, n_tags)

    def make_src_mask(self, src):
        return (src != self.src_pad_idx).unsqueeze(1).unsqueeze(3)

    def forward(self, src):
        src_mask = self.make_src_mask(src)
        x = self.drop(self.tok_emb(src) * math.sqrt(self.tok_emb.embedding_dim) + self.pos_emb(src))
        for layer in self.layers:
            x = layer(x, src_mask)
        return self.out(x)


def batch(lengths, max_len=10, pad=1):
    src = torch.full((len(lengths), max_len), pad)
    tags = torch.full((len(lengths), max_len), -100)
    for i, n in enumerate(lengths):
        src[i, :n] = torch.randint(2, 64, (n,))
        tags[i, :n] = torch.randint(0, 6, (n,))
    return src, tags


def run():
    torch.manual_seed(0)
    model = Tagger()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    src, tags = batch([10, 4, 7])
    model.train()
    logits = model(src)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tags.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        src2, _ = batch([3, 9, 6])
        pred = model(src2)
    return [loss.detach(), *grads, pred]
