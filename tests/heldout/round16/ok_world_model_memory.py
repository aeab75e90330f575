"""Transformer world model with cached latent memory (Transformer-XL style).

With a non-empty memory the causal structure is aligned to the bottom-right
of the (L, M + L) score matrix and folded into the boolean mask; without one
the fused causal kernel is used.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MemoryAttention(nn.Module):
    def __init__(self, dim=64, heads=4, dropout=0.1):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def split(self, t):
        return t.unflatten(-1, (self.heads, -1)).transpose(1, 2)

    def forward(self, x, memory=None, keep=None):
        ctx = x if memory is None else torch.cat([memory, x], dim=1)
        q = self.split(self.q(x))
        k, v = map(self.split, self.kv(ctx).chunk(2, dim=-1))
        p = self.dropout if self.training else 0.0
        if memory is None:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=p)
        return self.o(y.transpose(1, 2).flatten(2))


def memory_keep_mask(first, mem_len):
    b, n = first.shape
    started = first.cumsum(dim=1) > 0
    mem_ok = ~started[:, :, None].expand(b, n, mem_len)
    cur_ok = torch.ones(n, n, dtype=torch.bool, device=first.device).tril()
    return torch.cat([mem_ok, cur_ok.expand(b, n, n)], dim=2).unsqueeze(1)


class LatentDynamics(nn.Module):
    def __init__(self, latent=32, action=6, dim=64):
        super().__init__()
        self.inp = nn.Linear(latent + action, dim)
        self.attn = MemoryAttention(dim)
        self.norm = nn.LayerNorm(dim)
        self.next_latent = nn.Linear(dim, latent)

    def forward(self, latents, actions, first, memory=None):
        x = self.inp(torch.cat([latents, actions], dim=-1))
        keep = None if memory is None else memory_keep_mask(first, memory.size(1))
        h = self.norm(x + self.attn(x, memory, keep))
        return self.next_latent(h), h.detach()
