"""Multi-query attention code model (StarCoder/SantaCoder layout: many query
heads, one shared K/V head) with a KV cache for incremental completion."""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

Cache = Optional[Tuple[torch.Tensor, torch.Tensor]]


class MultiQueryAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h, self.hd = heads, dim // heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * self.hd)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, cache: Cache = None):
        B, T, D = x.shape
        q = self.q(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k, v = self.kv(x).unsqueeze(1).split(self.hd, dim=-1)  # (B, 1, T, hd)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        new_cache = (k, v)
        y = F.scaled_dot_product_attention(  # expect: ML405
            q, k.expand(-1, self.h, -1, -1), v.expand(-1, self.h, -1, -1), is_causal=True
        )
        return self.o(y.transpose(1, 2).reshape(B, T, D)), new_cache


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = MultiQueryAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, cache: Cache = None):
        a, cache = self.attn(self.ln1(x), cache)
        x = x + a
        return x + self.mlp(self.ln2(x)), cache


class SantaCoderLike(nn.Module):
    def __init__(self, vocab=256, dim=64, heads=8, layers=2, ctx=256):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, dim), nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, past: Optional[List[Cache]] = None):
        start = 0 if past is None else past[0][0].size(2)
        pos = torch.arange(start, start + ids.size(1), device=ids.device)
        h = self.wte(ids) + self.wpe(pos)
        presents = []
        for i, blk in enumerate(self.blocks):
            h, c = blk(h, None if past is None else past[i])
            presents.append(c)
        return self.head(self.ln(h)), presents

    @torch.no_grad()
    def complete(self, prompt, steps):
        logits, past = self(prompt)
        out = [logits[:, -1].argmax(-1, keepdim=True)]
        for _ in range(steps - 1):
            logits, past = self(out[-1], past)
            out.append(logits[:, -1].argmax(-1, keepdim=True))
        return torch.cat(out, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SantaCoderLike().eval()
    prompt = torch.randint(0, 256, (1, 12))
    with torch.no_grad():
        full, _ = model(prompt)
        _, past = model(prompt[:, :8])
        inc, _ = model(prompt[:, 8:], past)  # extend the cached prefix by 4 tokens
    err = (full[:, 8:] - inc).abs().max().item()
    print("incremental vs full-sequence logits, max abs diff:", err)
    print("greedy completion:", model.complete(prompt, 5).tolist())
    assert err > 1e-3
    print("FAILURE SHOWN: cached decoding disagrees with a full forward pass")
