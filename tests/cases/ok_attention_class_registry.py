"""Attention classes registered by name; each one reads the layer's blocked-positions mask in
its own API's convention."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ATTENTION_CLASSES = {}


def register(name):
    def wrap(cls):
        ATTENTION_CLASSES[name] = cls
        return cls
    return wrap


@register("mha")
class TorchAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, blocked):
        return self.mha(x, x, x, attn_mask=blocked, need_weights=False)[0]


@register("sdpa")
class SdpaAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, blocked):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=~blocked)
        return out.transpose(1, 2).reshape(b, t, d)


class DecoderLayer(nn.Module):
    def __init__(self, dim, heads, impl="sdpa"):
        super().__init__()
        self.attn = ATTENTION_CLASSES[impl](dim, heads)

    def forward(self, x):
        t = x.size(1)
        blocked = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
        return x + self.attn(x, blocked)
