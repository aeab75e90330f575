"""The same language models with the causal part applied (in the same step, or in a step of its
own), and a bidirectional encoder that masks only the padding."""
import torch
import torch.nn.functional as F
from torch import nn


class SelfAttention(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, pad):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (d // self.h) ** -0.5
        att = att.masked_fill(pad[:, None, None, :], float("-inf"))
        future = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
        att = att.masked_fill(future, float("-inf"))
        return self.proj((att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class TinyGPT(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.attn = SelfAttention(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        pad = ids.eq(0)
        logits = self.head(self.attn(self.emb(ids), pad))
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten(), ignore_index=0)


class CharLM(nn.Module):
    def __init__(self, vocab=60, d=32, h=2):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.wq, self.wk, self.wv = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, attention_mask):
        x = self.emb(ids)
        b, t, d = x.shape
        q = self.wq(x).view(b, t, self.h, -1).transpose(1, 2)
        k = self.wk(x).view(b, t, self.h, -1).transpose(1, 2)
        v = self.wv(x).view(b, t, self.h, -1).transpose(1, 2)
        scores = torch.einsum("bhid,bhjd->bhij", q, k) / (d // self.h) ** 0.5
        causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
        keep = attention_mask[:, None, None, :].bool() & causal
        scores = torch.where(keep, scores, torch.finfo(scores.dtype).min)
        return self.head((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=100, d=32, h=4):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, ids):
        x = self.emb(ids)
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)).masked_fill(ids.eq(0)[:, None, None, :], float("-inf"))
        return (att.softmax(-1) @ v).mean(2)
