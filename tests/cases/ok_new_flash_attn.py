"""flash-attn used correctly: causal decoders, a causal sliding window, a bidirectional encoder."""
import torch
from torch import nn
from flash_attn import flash_attn_func


class FlashGPT(nn.Module):
    def __init__(self, vocab, d=256, h=8, window=None):
        super().__init__()
        self.h = h
        self.window = window
        self.tok = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.tok(idx)
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).unbind(2)
        y = flash_attn_func(q, k, v, causal=True)
        return self.lm_head(y.reshape(B, T, D))


class SlidingWindowLM(nn.Module):
    def __init__(self, vocab, d=256, h=8, window=128):
        super().__init__()
        self.h = h
        self.window = window
        self.tok = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, idx):
        x = self.tok(idx)
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).unbind(2)
        # (left, 0): each query sees the `window` keys before it and none after
        return flash_attn_func(q, k, v, window_size=(self.window, 0))


class BertEncoder(nn.Module):
    def __init__(self, d=256, h=8):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).unbind(2)
        return flash_attn_func(q, k, v, causal=False)
