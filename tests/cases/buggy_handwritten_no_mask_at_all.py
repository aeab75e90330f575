"""Hand-written attention that applies no mask at all, in models trained on the next token: the
scores q @ k^T go to the softmax as they are, so every position sees the tokens it predicts."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Head(nn.Module):
    """nanoGPT's attention with the masked_fill line gone."""

    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.h, C // self.h).transpose(1, 2)
        k = k.view(B, T, self.h, C // self.h).transpose(1, 2)
        v = v.view(B, T, self.h, C // self.h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = F.softmax(att, dim=-1)  # expect: ML401
        y = att @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class CharGPT(nn.Module):
    def __init__(self, vocab=65, d=64, h=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.attn = Head(d, h)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, idx, targets=None):
        logits = self.lm_head(self.attn(self.tok(idx)))
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


def train_step(model, batch):
    x, y = batch[:, :-1], batch[:, 1:]
    _, loss = model(x, y)
    return loss


class EinsumMixer(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        dots = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        attn = dots.softmax(dim=-1)  # expect: ML401
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        return self.out(out.transpose(1, 2).reshape(b, n, -1))


class EventModel(nn.Module):
    def __init__(self, n_events=500, dim=32):
        super().__init__()
        self.embed = nn.Embedding(n_events, dim)
        self.mix = EinsumMixer(dim)
        self.head = nn.Linear(dim, n_events)

    def forward(self, events):
        return self.head(self.mix(self.embed(events)))


def fit(model, loader, opt):
    for seq in loader:
        logits = model(seq[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), seq[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()


class TimeMajorAttention(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.d = d
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)

    def forward(self, h):
        q, k, v = self.q(h), self.k(h), self.v(h)
        w = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(self.d)
        w = torch.softmax(w.float(), dim=-1).type_as(w)  # expect: ML401
        return torch.bmm(w, v)


class Sampler(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.att = TimeMajorAttention(d)
        self.out = nn.Linear(d, vocab)

    def forward(self, ids):
        return self.out(self.att(self.emb(ids)))

    @torch.no_grad()
    def generate(self, ids, steps=8):
        for _ in range(steps):
            probs = self(ids)[:, -1].softmax(-1)
            ids = torch.cat([ids, torch.multinomial(probs, 1)], dim=1)
        return ids
