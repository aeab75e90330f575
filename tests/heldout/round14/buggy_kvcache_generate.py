"""Greedy batched generation with a per-layer key/value cache for a small decoder LM.

Prompts are left padded so that every sequence ends at the same position; cache slots that
hold padding are remembered per layer."""
from __future__ import annotations

from typing import List, NamedTuple, Optional

import torch
import torch.nn.functional as F
from torch import nn

PAD_ID = 0


class LayerCache(NamedTuple):
    k: torch.Tensor          # (B, H, S, Dh)
    v: torch.Tensor          # (B, H, S, Dh)
    pad_slots: torch.Tensor  # (B, S) True where the cached key is padding


def _hidden_positions(pad_slots: torch.Tensor, q_len: int) -> torch.Tensor:
    s = pad_slots.size(1)
    future = torch.ones(q_len, s, dtype=torch.bool, device=pad_slots.device).triu(s - q_len + 1)
    return pad_slots[:, None, None, :] | future


class CachedSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.wq, self.wk, self.wv = (nn.Linear(dim, dim, bias=False) for _ in range(3))
        self.wo = nn.Linear(dim, dim, bias=False)

    def _split(self, t: torch.Tensor) -> torch.Tensor:
        return t.view(t.size(0), t.size(1), self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, pad: torch.Tensor, cache: Optional[LayerCache]):
        q, k, v = self._split(self.wq(x)), self._split(self.wk(x)), self._split(self.wv(x))
        if cache is not None:
            k = torch.cat([cache.k, k], dim=2)
            v = torch.cat([cache.v, v], dim=2)
            pad = torch.cat([cache.pad_slots, pad], dim=1)
        hidden = _hidden_positions(pad, x.size(1))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=hidden)  # expect: ML102
        out = out.transpose(1, 2).reshape(x.shape)
        return self.wo(out), LayerCache(k, v, pad)


class DecoderLM(nn.Module):
    def __init__(self, vocab: int = 500, dim: int = 64, heads: int = 4, layers: int = 2, max_pos: int = 256):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD_ID)
        self.pos = nn.Embedding(max_pos, dim)
        self.attn = nn.ModuleList(CachedSelfAttention(dim, heads) for _ in range(layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(),
                                               nn.Linear(4 * dim, dim)) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, positions, pad, caches: Optional[List[LayerCache]] = None):
        x = self.emb(ids) + self.pos(positions)
        new_caches = []
        for i, (attn, mlp, norm) in enumerate(zip(self.attn, self.mlp, self.norms)):
            a, c = attn(norm(x), pad, None if caches is None else caches[i])
            x = x + a
            x = x + mlp(x)
            new_caches.append(c)
        return self.head(x), new_caches


@torch.no_grad()
def generate(model: DecoderLM, prompts: List[List[int]], max_new_tokens: int = 8) -> torch.Tensor:
    width = max(len(p) for p in prompts)
    ids = torch.tensor([[PAD_ID] * (width - len(p)) + p for p in prompts])
    pad = ids.eq(PAD_ID)
    positions = (~pad).long().cumsum(-1).sub(1).clamp_min(0)
    logits, caches = model(ids, positions, pad)
    out = []
    for _ in range(max_new_tokens):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
        positions = positions[:, -1:] + 1
        logits, caches = model(nxt, positions, torch.zeros_like(nxt, dtype=torch.bool), caches)
    return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = DecoderLM().eval()
    prompts = [[5, 17, 42, 99, 7, 3], [11, 23], [301, 8, 64, 2]]
    print(generate(lm, prompts).tolist())
