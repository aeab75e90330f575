"""A causal LM whose attention calls show no mask, and the forward pre-hook that would hand them
their causal mask is registered on the norm layer instead: the attention sees the future."""
import torch
import torch.nn as nn


def add_causal(module, args, kwargs):
    n = args[0].size(1)
    kwargs["attn_mask"] = torch.triu(torch.ones(n, n, dtype=torch.bool, device=args[0].device), diagonal=1)
    return args, kwargs


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        h = self.norm(x)
        return x + self.self_attn(h, h, h, need_weights=False)[0]  # expect: ML401


class StitchLM(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        for block in self.blocks:
            block.norm.register_forward_pre_hook(add_causal, with_kwargs=True)
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, ids):
        x = self.tok(ids)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(x)

    @torch.no_grad()
    def generate(self, ids, steps=8):
        for _ in range(steps):
            nxt = self(ids)[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], 1)
        return ids
