"""Perceiver-style resampler: a fixed set of latent queries cross-attends to
a padded sequence of token features (e.g. from a frozen text encoder)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CrossAttention(nn.Module):
    def __init__(self, dim, ctx_dim, heads=8):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(ctx_dim, 2 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, latents, context, attention_mask):
        # attention_mask: (B, S) long, 1 = real token, 0 = padding
        B, L, D = latents.shape
        S = context.size(1)
        q = self.to_q(latents).view(B, L, self.heads, -1).transpose(1, 2)
        k, v = self.to_kv(context).view(B, S, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = attention_mask[:, None, None, :].to(q.dtype)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,  # expect: ML202
        )
        return self.to_out(out.transpose(1, 2).reshape(B, L, D))


class LatentSelfAttention(nn.Module):
    def __init__(self, dim, heads=8):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        # latents are a set: full bidirectional attention, no mask
        y = F.scaled_dot_product_attention(q, k, v)
        return self.out(y.transpose(1, 2).reshape(B, L, D))


class PerceiverResampler(nn.Module):
    def __init__(self, dim=1024, ctx_dim=768, num_latents=64, depth=4, heads=8):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, dim) * 0.02)
        self.cross = nn.ModuleList(CrossAttention(dim, ctx_dim, heads) for _ in range(depth))
        self.self_attn = nn.ModuleList(LatentSelfAttention(dim, heads) for _ in range(depth))
        self.ffs = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
            for _ in range(depth)
        )
        self.norm = nn.LayerNorm(dim)

    def forward(self, context, attention_mask):
        x = self.latents.unsqueeze(0).expand(context.size(0), -1, -1)
        for cross, sa, ff in zip(self.cross, self.self_attn, self.ffs):
            x = x + cross(x, context, attention_mask)
            x = x + sa(x)
            x = x + ff(x)
        return self.norm(x)
