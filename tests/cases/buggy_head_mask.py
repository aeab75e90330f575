"""Head masks (1.0 = keep the head, 0.0 = silence it) applied the wrong way."""
import math

import torch
from torch import nn


class ScoresHeadMask(nn.Module):
    """Multiplies the head mask into the scores: a 0 gives uniform attention, not a silent head."""

    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.dk = h, d // h
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.h, self.dk).transpose(1, 2)

    def forward(self, x, head_mask=None):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        if head_mask is not None:
            scores = scores * head_mask  # expect: ML206
        probs = scores.softmax(dim=-1)
        return probs @ v


class Block(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h, self.dk = h, d // h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None, head_mask=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        if attention_mask is not None:
            scores = scores + attention_mask
        probs = torch.softmax(scores, dim=-1)
        if head_mask is not None:
            probs = probs * head_mask
        return (probs @ v).transpose(1, 2).reshape(B, T, D)


class AdditiveHeadMask(nn.Module):
    """Passes the extended (0 / -10000) attention mask in the head_mask slot."""

    def __init__(self, d=64, h=4):
        super().__init__()
        self.block = Block(d, h)

    def forward(self, x, attention_mask):
        extended = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        return self.block(x, head_mask=extended)  # expect: ML206


class LayerSizedHeadMask(nn.Module):
    """Hands the whole (num_layers, num_heads) mask to every layer."""

    def __init__(self, d=64, h=4, n_layers=3):
        super().__init__()
        self.h, self.dk, self.n_layers = h, d // h, n_layers
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(n_layers))

    def attend(self, i, x, head_mask):
        B, T, D = x.shape
        q, k, v = self.qkv[i](x).view(B, T, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        attn_probs = (q @ k.transpose(-1, -2)).softmax(-1)
        attn_probs = attn_probs * head_mask
        return (attn_probs @ v).transpose(1, 2).reshape(B, T, D)

    def forward(self, x):
        head_mask = torch.ones(self.n_layers, self.h)
        for i in range(self.n_layers):
            x = x + self.attend(i, x, head_mask)  # expect: ML206
        return x
