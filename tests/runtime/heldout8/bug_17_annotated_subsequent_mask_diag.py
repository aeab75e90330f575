# EXPECT: bug subsequent_mask built with triu(diagonal=0), so the diagonal is blocked: each token cannot attend to itself and the first row is fully masked (-1e9 everywhere -> uniform over all, including future tokens)
"""Annotated-Transformer-style decoder-only LM: hand-written attention() with
masked_fill(mask == 0, -1e9), clones(), SublayerConnection.
"""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def clones(module, N):
    return nn.ModuleList([copy.deepcopy(module) for _ in range(N)])


def subsequent_mask(size):
    attn_shape = (1, size, size)
    mask = torch.triu(torch.ones(attn_shape), diagonal=0).type(torch.uint8)
    return mask == 0


def attention(query, key, value, mask=None, dropout=None):
    d_k = query.size(-1)
    scores = torch.matmul(query, key.transpose(-2, -1)) / math.sqrt(d_k)
    if mask is not None:
        scores = scores.masked_fill(mask == 0, -1e9)  # BUG-SITE
    p_attn = scores.softmax(dim=-1)
    if dropout is not None:
        p_attn = dropout(p_attn)
    return torch.matmul(p_attn, value), p_attn


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout=0.1):
        super().__init__()
        assert d_model % h == 0
        self.d_k = d_model // h
        self.h = h
        self.linears = clones(nn.Linear(d_model, d_model), 4)
        self.attn = None
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, query, key, value, mask=None):
        if mask is not None:
            mask = mask.unsqueeze(1)
        nbatches = query.size(0)
        query, key, value = [
            lin(x).view(nbatches, -1, self.h, self.d_k).transpose(1, 2)
            for lin, x in zip(self.linears, (query, key, value))
        ]
        x, self.attn = attention(query, key, value, mask=mask, dropout=self.dropout)
        x = x.transpose(1, 2).contiguous().view(nbatches, -1, self.h * self.d_k)
        return self.linears[-1](x)


class SublayerConnection(nn.Module):
    def __init__(self, size, dropout):
        super().__init__()
        self.norm = nn.LayerNorm(size)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, sublayer):
        return x + self.dropout(sublayer(self.norm(x)))


class DecoderOnlyLayer(nn.Module):
    def __init__(self, size, self_attn, feed_forward, dropout):
        super().__init__()
        self.self_attn = self_attn
        self.feed_forward = feed_forward
        self.sublayer = clones(SublayerConnection(size, dropout), 2)

    def forward(self, x, mask):
        x = self.sublayer[0](x, lambda x: self.self_attn(x, x, x, mask))
        return self.sublayer[1](x, self.feed_forward)


class LM(nn.Module):
    def __init__(self, vocab, N=2, d_model=32, d_ff=64, h=4, dropout=0.1):
        super().__init__()
        layer = DecoderOnlyLayer(d_model, MultiHeadedAttention(h, d_model, dropout),
                                 nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d_model)),
                                 dropout)
        self.layers = clones(layer, N)
        self.norm = nn.LayerNorm(d_model)
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.randn(1, 64, d_model) * 0.02)
        self.proj = nn.Linear(d_model, vocab)
        self.d_model = d_model

    def forward(self, x):
        mask = subsequent_mask(x.size(1))
        h = self.embed(x) * math.sqrt(self.d_model) + self.pos[:, : x.size(1)]
        for layer in self.layers:
            h = layer(h, mask)
        return F.log_softmax(self.proj(self.norm(h)), dim=-1)


def run():
    torch.manual_seed(0)
    V = 30
    model = LM(V)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-4, betas=(0.9, 0.98), eps=1e-9)
    data = torch.randint(1, V, (4, 11))
    src, tgt = data[:, :-1], data[:, 1:]

    model.train()
    out = model(src)
    loss = F.nll_loss(out.reshape(-1, V), tgt.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_out = model(src)
    return [loss.detach(), *grads, eval_out]
