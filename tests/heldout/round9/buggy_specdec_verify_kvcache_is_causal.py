"""Speculative decoding, target-model verification step: the k drafted tokens are scored
in one forward pass on top of the KV cache of the accepted prefix."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KVCache:
    def __init__(self):
        self.k = self.v = None

    def append(self, k, v):
        self.k = k if self.k is None else torch.cat([self.k, k], dim=2)
        self.v = v if self.v is None else torch.cat([self.v, v], dim=2)
        return self.k, self.v


class TargetAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, cache: KVCache):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        k_all, v_all = cache.append(k, v)
        y = F.scaled_dot_product_attention(q, k_all, v_all, is_causal=True)  # expect: ML405
        return self.o(y.transpose(1, 2).reshape(B, T, D))


def verify(attn, prefix_h, draft_h):
    cache = KVCache()
    attn(prefix_h, cache)                   # prefill the accepted prefix
    return attn(draft_h, cache)             # score all drafted tokens at once


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = TargetAttention()
    prefix, drafted = torch.randn(1, 9, 32), torch.randn(1, 4, 32)
    with torch.no_grad():
        fast = verify(attn, prefix, drafted)
        full = attn(torch.cat([prefix, drafted], 1), KVCache())[:, -4:]
    print("FAILURE SHOWN: cached verification != full recompute, max diff",
          f"{(fast - full).abs().max().item():.3g}")
