"""Attention classes registered by name; the decoder layer picks one from its config."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

ATTENTION_CLASSES = {}


def register(name):
    def wrap(cls):
        ATTENTION_CLASSES[name] = cls
        return cls
    return wrap


@dataclass
class LayerConfig:
    hidden: int = 64
    heads: int = 4
    attn_implementation: str = "sdpa"


@register("eager")
class EagerAttention(nn.Module):
    def __init__(self, cfg: LayerConfig):
        super().__init__()
        self.heads = cfg.heads
        self.qkv = nn.Linear(cfg.hidden, 3 * cfg.hidden)

    def forward(self, x, blocked):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) / (d // self.heads) ** 0.5
        scores = scores.masked_fill(blocked, float("-inf"))
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)


@register("sdpa")
class SdpaAttention(nn.Module):
    def __init__(self, cfg: LayerConfig):
        super().__init__()
        self.heads = cfg.heads
        self.qkv = nn.Linear(cfg.hidden, 3 * cfg.hidden)

    def forward(self, x, blocked):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=blocked)
        return out.transpose(1, 2).reshape(b, t, d)


class DecoderLayer(nn.Module):
    def __init__(self, cfg: LayerConfig):
        super().__init__()
        self.self_attn = ATTENTION_CLASSES[cfg.attn_implementation](cfg)
        self.norm = nn.LayerNorm(cfg.hidden)

    def forward(self, x):
        t = x.size(1)
        blocked = torch.triu(torch.ones(t, t, dtype=torch.bool, device=x.device), diagonal=1)
        return x + self.self_attn(self.norm(x), blocked)  # expect: ML102
