# EXPECT: clean
"""Imitates Mistral / Gemma-2 local-attention layers written by hand: a boolean
sliding-window causal mask (0 <= i - j < window) cached as a non-persistent
buffer and applied with masked_fill(~allowed, -inf), alternating with global
causal layers, on a next-token objective."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalGlobalAttention(nn.Module):
    def __init__(self, d, heads, max_len, window, dropout):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.attn_drop = nn.Dropout(dropout)
        i = torch.arange(max_len)[:, None]
        j = torch.arange(max_len)[None, :]
        if window is None:
            allowed = j <= i
        else:
            allowed = (i - j >= 0) & (i - j < window)
        self.register_buffer("allowed", allowed, persistent=False)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        att = torch.einsum("bhid,bhjd->bhij", q, k) / math.sqrt(self.dh)
        att = att.masked_fill(~self.allowed[:T, :T], float("-inf"))
        att = self.attn_drop(att.softmax(dim=-1))
        y = torch.einsum("bhij,bhjd->bhid", att, v)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, d, heads, max_len, window, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = LocalGlobalAttention(d, heads, max_len, window, dropout)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(dropout))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class LocalLM(nn.Module):
    def __init__(self, vocab=32, d=32, heads=4, max_len=16, windows=(4, None, 3), dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList([Block(d, heads, max_len, w, dropout) for w in windows])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1)))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln_f(x))


def run():
    torch.manual_seed(0)
    model = LocalLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(151)
    data = torch.randint(0, 32, (4, 16), generator=g)

    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 32), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ids = torch.randint(0, 32, (3, 4), generator=g)
        for _ in range(6):
            ids = torch.cat([ids, model(ids)[:, -1].argmax(-1, keepdim=True)], dim=1)
        val_logits = model(ids)
    return [loss.detach(), *grads, ids, val_logits]
