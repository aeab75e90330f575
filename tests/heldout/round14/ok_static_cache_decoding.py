"""Batched sampling with a preallocated (static) key/value cache, as used for CUDA-graph
friendly decoding. All prompts in a batch have the same length (bucketed upstream), so the
prefill is a plain causal pass and every decode step is a single query over the filled cache."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class StaticKVCache:
    def __init__(self, layers: int, batch: int, heads: int, max_len: int, head_dim: int):
        shape = (layers, batch, heads, max_len, head_dim)
        self.k, self.v = torch.zeros(shape), torch.zeros(shape)
        self.filled = 0

    def write(self, layer: int, k: torch.Tensor, v: torch.Tensor, start: int):
        self.k[layer, :, :, start: start + k.size(2)] = k
        self.v[layer, :, :, start: start + v.size(2)] = v
        end = start + k.size(2)
        return self.k[layer, :, :, :end], self.v[layer, :, :, :end]


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int, layer_idx: int):
        super().__init__()
        self.h, self.dh, self.layer_idx = heads, dim // heads, layer_idx
        self.wqkv, self.wo = nn.Linear(dim, 3 * dim, bias=False), nn.Linear(dim, dim, bias=False)

    def forward(self, x: torch.Tensor, cache: StaticKVCache, start: int) -> torch.Tensor:
        b, q_len, d = x.shape
        q, k, v = self.wqkv(x).view(b, q_len, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        k, v = cache.write(self.layer_idx, k, v, start)
        prefill = q_len > 1
        y = F.scaled_dot_product_attention(q, k, v, is_causal=prefill)
        return self.wo(y.transpose(1, 2).reshape(b, q_len, d))


class SmallChatModel(nn.Module):
    def __init__(self, vocab: int = 2048, dim: int = 64, heads: int = 4, layers: int = 2, max_len: int = 128):
        super().__init__()
        self.heads, self.max_len = heads, max_len
        self.tok, self.pos = nn.Embedding(vocab, dim), nn.Embedding(max_len, dim)
        self.attn = nn.ModuleList(Attention(dim, heads, i) for i in range(layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.RMSNorm(dim), nn.Linear(dim, 3 * dim), nn.SiLU(), nn.Linear(3 * dim, dim))
                                 for _ in range(layers))
        self.norms = nn.ModuleList(nn.RMSNorm(dim) for _ in range(layers))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids: torch.Tensor, cache: StaticKVCache, start: int) -> torch.Tensor:
        x = self.tok(ids) + self.pos(torch.arange(start, start + ids.size(1), device=ids.device))
        for attn, mlp, norm in zip(self.attn, self.mlp, self.norms):
            x = x + attn(norm(x), cache, start)
            x = x + mlp(x)
        return self.lm_head(x)

    @torch.no_grad()
    def sample(self, prompts: torch.Tensor, new_tokens: int, top_k: int = 20, generator=None) -> torch.Tensor:
        b, n = prompts.shape
        cache = StaticKVCache(len(self.attn), b, self.heads, self.max_len, self.tok.embedding_dim // self.heads)
        logits = self(prompts, cache, 0)[:, -1]
        out, pos = [], n
        for _ in range(new_tokens):
            vals, idx = logits.topk(top_k, dim=-1)
            choice = torch.multinomial(vals.softmax(-1), 1, generator=generator)
            nxt = idx.gather(-1, choice)
            out.append(nxt)
            logits = self(nxt, cache, pos)[:, -1]
            pos += 1
        return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SmallChatModel().eval()
    prompts = torch.randint(0, 2048, (3, 12))
    print(model.sample(prompts, 6, generator=torch.Generator().manual_seed(0)).tolist())
