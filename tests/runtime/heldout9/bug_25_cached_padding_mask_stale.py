# EXPECT: bug the combined additive padding mask is cached by sequence shape only, so a later batch with the same shape but different padding (the eval batch) reuses the training batch's stale mask.
"""Imitates memoised mask construction seen in production encoders (an ERNIE /
RoBERTa-style classifier whose get_extended_attention_mask result is cached in a
dict keyed by input shape to avoid rebuilding it in every layer / call)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.h, self.dk = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, additive_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores + additive_mask  # BUG-SITE
        probs = self.drop(scores.softmax(-1))
        return self.o((probs @ v).transpose(1, 2).reshape(B, T, D))


class Layer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.attn = SelfAttention(d, heads, dropout)
        self.ln1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.ln2 = nn.LayerNorm(d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        x = self.ln1(x + self.drop(self.attn(x, mask)))
        return self.ln2(x + self.drop(self.ff(x)))


class RobertaLikeClassifier(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4, layers=2, num_labels=3, dropout=0.1, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.emb = nn.Embedding(vocab, d, padding_idx=padding_idx)
        self.pos = nn.Embedding(18, d, padding_idx=padding_idx)
        self.layers = nn.ModuleList([Layer(d, heads, dropout) for _ in range(layers)])
        self.cls = nn.Sequential(nn.Linear(d, d), nn.Tanh(), nn.Dropout(dropout), nn.Linear(d, num_labels))
        self._mask_cache = {}

    def get_extended_attention_mask(self, attention_mask):
        key = tuple(attention_mask.shape)
        if key not in self._mask_cache:
            ext = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
            self._mask_cache[key] = ext
        return self._mask_cache[key]

    def forward(self, input_ids):
        attention_mask = input_ids.ne(self.padding_idx).long()
        # RoBERTa create_position_ids_from_input_ids
        position_ids = torch.cumsum(attention_mask, dim=1) * attention_mask + self.padding_idx
        x = self.emb(input_ids) + self.pos(position_ids)
        ext = self.get_extended_attention_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, ext)
        return self.cls(x[:, 0])


def pad(seqs, pad_id=1):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s
    return out


def encode(g, lengths):
    return pad([torch.cat([torch.tensor([0]), torch.randint(3, 50, (n - 1,), generator=g)]) for n in lengths])


def run():
    torch.manual_seed(0)
    model = RobertaLikeClassifier()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(71)
    ids = encode(g, [12, 5, 8, 10])
    labels = torch.tensor([2, 0, 1, 1])

    model.train()
    loss = F.cross_entropy(model(ids), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ev = encode(g, [6, 12, 3, 9])  # same [4, 12] shape, different padding
        probs = model(ev).softmax(-1)
    return [loss.detach(), *grads, probs]
