"""A layer holds a mask and calls its own hand-written attention without it (fairseq's encoder
layer, P5-10): the attention's mask parameter stays None and nothing is hidden."""
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class FairseqStyleAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, query, key, value, key_padding_mask: Optional[Tensor] = None, attn_mask: Optional[Tensor] = None):
        t, b, d = query.size()
        q = self.q_proj(query).view(t, b * self.h, self.hd).transpose(0, 1) * self.hd ** -0.5
        k = self.k_proj(key).view(-1, b * self.h, self.hd).transpose(0, 1)
        v = self.v_proj(value).view(-1, b * self.h, self.hd).transpose(0, 1)
        w = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            w += attn_mask.unsqueeze(0)
        if key_padding_mask is not None:
            w = w.view(b, self.h, t, -1).masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
            w = w.view(b * self.h, t, -1)
        return torch.bmm(F.softmax(w, dim=-1), v).transpose(0, 1).reshape(t, b, d)


class EncoderLayer(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.self_attn = FairseqStyleAttention(d, heads)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, encoder_padding_mask, attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        y = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask)  # expect: ML504
        return self.norm(x + y)


class Scorer(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.d = d
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, mask=None):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d)
        if mask is not None:
            scores = scores.masked_fill(mask[:, None, :], float("-inf"))
        return scores.softmax(-1) @ v


class ReviewEncoder(nn.Module):
    def __init__(self, vocab=1000, d=32, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_idx)
        self.attn = Scorer(d)
        self.cls = nn.Linear(d, 2)

    def forward(self, tokens):
        pad = tokens.eq(self.pad_idx)
        h = self.attn(self.emb(tokens))  # expect: ML504
        return self.cls(h.mean(1))


class DualMaskAttention(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.proj = nn.Linear(d, 3 * d)

    def forward(self, x, key_padding_mask=None, attn_mask=None):
        q, k, v = self.proj(x).chunk(3, dim=-1)
        logits = torch.matmul(q, k.transpose(-1, -2)) * q.size(-1) ** -0.5
        if attn_mask is not None:
            logits = logits.masked_fill(attn_mask, torch.finfo(logits.dtype).min)
        if key_padding_mask is not None:
            logits = logits.masked_fill(key_padding_mask.unsqueeze(1), torch.finfo(logits.dtype).min)
        return torch.matmul(logits.softmax(dim=-1), v)


class MelodyDecoderBlock(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.att = DualMaskAttention(d)

    def forward(self, notes, note_pad):
        t = notes.size(1)
        future = torch.triu(torch.ones(t, t, dtype=torch.bool, device=notes.device), diagonal=1)
        return self.att(notes, key_padding_mask=note_pad)  # expect: ML504
