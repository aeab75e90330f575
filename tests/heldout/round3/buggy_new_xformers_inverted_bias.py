"""Autoregressive image-token (VQ code) transformer using xFormers'
memory-efficient attention with an explicit additive attention bias."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import xformers.ops as xops


def causal_bias(seq_len, n_heads, batch, device, dtype):
    """Additive bias for memory_efficient_attention, shape (B, H, S, S)."""
    visible = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))
    bias = torch.where(visible, float("-inf"), 0.0).to(dtype)
    return bias.expand(batch, n_heads, seq_len, seq_len)


class XfAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.n_heads, D // self.n_heads).unbind(2)
        bias = causal_bias(S, self.n_heads, B, x.device, q.dtype)
        out = xops.memory_efficient_attention(
            q, k, v,
            attn_bias=bias,  # expect: ML103
        )
        return self.proj(out.reshape(B, S, D))


class CodeTransformer(nn.Module):
    """Predicts the next VQ code of a 32x32 token grid, raster order."""

    def __init__(self, n_codes=8192, dim=1024, n_heads=16, depth=16, seq_len=1024, n_classes=1000):
        super().__init__()
        self.tok = nn.Embedding(n_codes, dim)
        self.cls = nn.Embedding(n_classes, dim)
        self.pos = nn.Parameter(torch.zeros(1, seq_len + 1, dim))
        self.attn = nn.ModuleList(XfAttention(dim, n_heads) for _ in range(depth))
        self.mlps = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
            for _ in range(depth)
        )
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, n_codes)

    def forward(self, codes, labels):
        x = torch.cat([self.cls(labels)[:, None], self.tok(codes)], dim=1)
        x = x + self.pos[:, : x.size(1)]
        for attn, ln, mlp in zip(self.attn, self.ln, self.mlps):
            x = x + attn(ln(x))
            x = x + mlp(x)
        logits = self.head(x[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), codes.reshape(-1))
