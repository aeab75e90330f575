"""Transformer world model with a recurrent memory of past latent states.

Each forward step processes a chunk of ``L`` new latents and attends to the
``M`` cached latents from previous chunks, unless an episode boundary lies
in between.
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
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, memory, keep):
        ctx = torch.cat([memory, x], dim=1)
        q = self.split(self.q(x))
        k, v = map(self.split, self.kv(ctx).chunk(2, dim=-1))
        y = F.scaled_dot_product_attention(
            q, k, v, attn_mask=keep, dropout_p=self.dropout if self.training else 0.0, is_causal=True  # expect: ML403
        )
        return self.o(y.transpose(1, 2).flatten(2))


class LatentDynamics(nn.Module):
    def __init__(self, latent=32, action=6, dim=64):
        super().__init__()
        self.inp = nn.Linear(latent + action, dim)
        self.attn = MemoryAttention(dim)
        self.norm = nn.LayerNorm(dim)
        self.next_latent = nn.Linear(dim, latent)
        self.reward = nn.Linear(dim, 1)

    @staticmethod
    def memory_mask(first, mem_len):
        # first: (B, L) True where a new episode starts inside the chunk
        b, n = first.shape
        started = first.cumsum(dim=1) > 0
        mem_ok = ~started[:, :, None].expand(b, n, mem_len)
        qi = torch.arange(n, device=first.device)
        cur_ok = qi[None, :] <= qi[:, None]
        keep = torch.cat([mem_ok, cur_ok.expand(b, n, n)], dim=2)
        return keep[:, None]

    def forward(self, latents, actions, first, memory):
        x = self.inp(torch.cat([latents, actions], dim=-1))
        keep = self.memory_mask(first, memory.size(1))
        h = self.norm(x + self.attn(x, memory, keep))
        return self.next_latent(h), self.reward(h).squeeze(-1), h.detach()
