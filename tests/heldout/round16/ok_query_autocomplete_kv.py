"""Search-box completion model with a KV cache for incremental decoding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, cache=None):
        b, t, c = x.shape
        q, k, v = (z.view(b, t, self.heads, -1).transpose(1, 2) for z in self.qkv(x).split(c, dim=2))
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=t > 1)
        return self.proj(y.transpose(1, 2).reshape(b, t, c)), (k, v)


class Completer(nn.Module):
    def __init__(self, n_chars=128, dim=64, heads=4, depth=2, block=64):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(n_chars, dim), nn.Embedding(block, dim)
        self.layers = nn.ModuleList(CachedAttention(dim, heads) for _ in range(depth))
        self.lm_head = nn.Linear(dim, n_chars, bias=False)

    def forward(self, idx, caches=None, start=0):
        x = self.wte(idx) + self.wpe(torch.arange(start, start + idx.size(1), device=idx.device))
        new = []
        for i, layer in enumerate(self.layers):
            y, kv = layer(x, None if caches is None else caches[i])
            x = x + y
            new.append(kv)
        return self.lm_head(x), new

    @torch.no_grad()
    def complete(self, prefix, n_new=8):
        logits, caches = self(prefix)
        out = prefix
        for _ in range(n_new):
            nxt = logits[:, -1:].argmax(-1)
            out = torch.cat([out, nxt], 1)
            logits, caches = self(nxt, caches, start=out.size(1) - 1)
        return out
