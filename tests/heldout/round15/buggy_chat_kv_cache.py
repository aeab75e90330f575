"""Minimal chat LM with a KV cache and left-padded batched prompts."""
from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class LayerCache:
    k: Optional[torch.Tensor] = None
    v: Optional[torch.Tensor] = None

    def append(self, k, v):
        self.k = k if self.k is None else torch.cat([self.k, k], 2)
        self.v = v if self.v is None else torch.cat([self.v, v], 2)
        return self.k, self.v


class CachedAttention(nn.Module):
    def __init__(self, dim, heads, attn_dropout=0.1):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.attn_dropout = attn_dropout

    def forward(self, x, key_keep, cache: Optional[LayerCache] = None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = cache.append(k, v)
        drop = self.attn_dropout if self.training else 0.0
        if T == 1:  # one new token per step: it may read the whole cache
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=key_keep[:, None, None, :], dropout_p=drop)
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=key_keep[:, None, None, :], dropout_p=drop, is_causal=True)  # expect: ML403
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class ChatLM(nn.Module):
    def __init__(self, vocab=128, dim=64, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(CachedAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, attention_mask, caches=None):
        keep = attention_mask.bool()
        x = self.emb(ids)
        for i, (attn, norm) in enumerate(zip(self.layers, self.norms)):
            x = x + attn(norm(x), keep, None if caches is None else caches[i])
        return self.head(x)

    def lm_loss(self, ids, attention_mask):
        logits = self(ids[:, :-1], attention_mask[:, :-1])
        labels = ids[:, 1:].masked_fill(attention_mask[:, 1:] == 0, -100)
        return F.cross_entropy(logits.transpose(1, 2), labels)

    @torch.no_grad()
    def generate(self, ids, attention_mask, n_new=5):
        caches = [LayerCache() for _ in self.layers]
        logits = self(ids, attention_mask, caches)
        out = []
        for _ in range(n_new):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            out.append(nxt)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
            logits = self(nxt, attention_mask, caches)
        return torch.cat(out, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = ChatLM()
    ids = torch.randint(1, 128, (2, 9))
    am = torch.ones(2, 9, dtype=torch.long)
    am[1, :3] = 0  # left padding
    lm.eval()
    print("greedy", lm.generate(ids, am).tolist())
    lm.train()
    try:
        print("train loss", lm.lm_loss(ids, am).item())
    except RuntimeError as err:
        print("training step failed:", err)
