"""SQL autocomplete: a small decoder-only LM with a key/value cache.

Prompts in a batch are left-padded so every row ends at the cursor; the
padding mask travels with the cache and grows by one column per step.
"""
from typing import Iterator, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

TOKENS = ["<pad>", "<bos>", "SELECT", "FROM", "WHERE", "JOIN", "ON", "GROUP", "BY", "ORDER", "LIMIT",
          "*", ",", "=", "id", "name", "users", "orders", "user_id", "total", "COUNT(", ")", "10"]
PAD = 0
Cache = List[Tuple[torch.Tensor, torch.Tensor]]


class CachedAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, keep, past: Optional[Tuple[torch.Tensor, torch.Tensor]]):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :], is_causal=True)  # expect: ML403
        return self.o(y.transpose(1, 2).reshape(b, t, d)), (k, v)


class SqlLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(len(TOKENS), dim)
        self.pos = nn.Embedding(128, dim)
        self.attn = nn.ModuleList(CachedAttention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                               nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.lm = nn.Linear(dim, len(TOKENS))

    def forward(self, ids, keep, positions, cache: Optional[Cache] = None):
        x = self.tok(ids) + self.pos(positions)
        new_cache = []
        for i, (attn, mlp) in enumerate(zip(self.attn, self.mlp)):
            y, kv = attn(F.layer_norm(x, x.shape[-1:]), keep, None if cache is None else cache[i])
            x = x + y
            x = x + mlp(x)
            new_cache.append(kv)
        return self.lm(x), new_cache


@torch.no_grad()
def complete(model, prompts: List[List[str]], steps=4) -> Iterator[List[str]]:
    width = max(map(len, prompts)) + 1
    ids = torch.full((len(prompts), width), PAD, dtype=torch.long)
    for r, p in enumerate(prompts):
        ids[r, width - len(p) - 1:] = torch.tensor([1] + [TOKENS.index(t) for t in p])
    keep = ids != PAD
    positions = (keep.cumsum(1) - 1).clamp(min=0)
    logits, cache = model(ids, keep, positions)                    # prefill
    for _ in range(steps):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        yield [TOKENS[i] for i in nxt[:, 0].tolist()]
        keep = torch.cat([keep, torch.ones_like(nxt, dtype=torch.bool)], dim=1)
        positions = positions[:, -1:] + 1
        logits, cache = model(nxt, keep, positions, cache)         # one token per step


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SqlLM().eval()
    prompts = [["SELECT", "name", "FROM"], ["SELECT", "COUNT(", "*", ")", "FROM", "orders", "WHERE"]]
    for step, toks in enumerate(complete(model, prompts)):
        print("step", step, toks)
