import torch
import torch.nn as nn
import torch.nn.functional as F

REGISTRY = {}


def register(name):
    def deco(fn):
        REGISTRY[name] = fn
        return fn
    return deco


@register("causal")
def causal_keep(n):
    return torch.ones(n, n, dtype=torch.bool).tril()


@register("block")
def causal_block(n):
    return torch.ones(n, n, dtype=torch.bool).triu(1)


class Attn(nn.Module):
    def __init__(self, dim, heads, kind="causal"):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.build = REGISTRY[kind]

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=self.build(n)).transpose(1, 2).reshape(b, n, d)
