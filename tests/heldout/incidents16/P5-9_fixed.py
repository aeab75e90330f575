"""Batched greedy generation for an open LM checkpoint (left padding, no KV cache)."""
from dataclasses import dataclass
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Params:
    dim: int = 32
    n_layers: int = 2
    n_heads: int = 4
    vocab_size: int = 48
    seq_len: int = 32


class CustomAttn(nn.Module):
    def __init__(self, p: Params):
        super().__init__()
        self.n_heads = p.n_heads
        self.in_proj = nn.Linear(p.dim, 3 * p.dim, bias=False)
        self.out_proj = nn.Linear(p.dim, p.dim, bias=False)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.in_proj(x).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=causal & attention_mask.bool()[:, None, None, :])
        return self.out_proj(out.transpose(1, 2).reshape(b, t, d))


class Transformer(nn.Module):
    def __init__(self, p: Params):
        super().__init__()
        self.tok_embeddings = nn.Embedding(p.vocab_size, p.dim)
        self.layers = nn.ModuleList([CustomAttn(p) for _ in range(p.n_layers)])
        self.norm = nn.LayerNorm(p.dim)
        self.output = nn.Linear(p.dim, p.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        x = self.tok_embeddings(input_ids)
        for layer in self.layers:
            x = x + layer(x, attention_mask)
        return self.output(self.norm(x))


class OpenLMGenerator:
    def __init__(self, model: Transformer, pad_id: int = 0):
        self.model = model.eval()
        self.pad_id = pad_id

    def pad_left(self, prompts: List[List[int]]):
        width = max(len(p) for p in prompts)
        ids = torch.full((len(prompts), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for i, p in enumerate(prompts):
            ids[i, width - len(p):] = torch.tensor(p)
            mask[i, width - len(p):] = 1
        return ids, mask

    @torch.no_grad()
    def generate(self, prompts: List[List[int]], max_new_tokens: int = 5):
        input_ids, attention_mask = self.pad_left(prompts)
        for _ in range(max_new_tokens):
            logits = self.model(input_ids, attention_mask=attention_mask)
            next_tok = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tok], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_tok)], dim=1)
        return input_ids, logits
