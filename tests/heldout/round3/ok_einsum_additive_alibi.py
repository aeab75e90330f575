"""Protein language model (autoregressive) with ALiBi position biases and
hand-written einsum attention; masks are additive float tensors."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads: int) -> torch.Tensor:
    start = 2 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def causal_alibi_bias(seq_len: int, slopes: torch.Tensor) -> torch.Tensor:
    """(H, T, T) additive bias: -slope * distance on the past, -inf on the future."""
    pos = torch.arange(seq_len, device=slopes.device)
    dist = (pos[:, None] - pos[None, :]).clamp(min=0).float()  # i - j for j <= i
    bias = -slopes[:, None, None] * dist[None]
    future = torch.ones(seq_len, seq_len, dtype=torch.bool, device=slopes.device).triu(1)
    return bias.masked_fill(future, float("-inf"))


class AlibiAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.scale = 1.0 / math.sqrt(dim // n_heads)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("slopes", alibi_slopes(n_heads), persistent=False)

    def forward(self, x, key_is_residue):
        # key_is_residue: (B, T) bool, False on right padding
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, -1).unbind(2)
        logits = torch.einsum("bihd,bjhd->bhij", q, k) * self.scale
        logits = logits + causal_alibi_bias(T, self.slopes)[None]
        logits = logits.masked_fill(~key_is_residue[:, None, None, :], float("-inf"))
        attn = logits.softmax(dim=-1)
        y = torch.einsum("bhij,bjhd->bihd", attn, v).reshape(B, T, D)
        return self.out(y)


class ProteinLM(nn.Module):
    def __init__(self, n_tokens=33, dim=640, n_heads=10, depth=12, pad_idx=1):
        super().__init__()
        self.pad_idx = pad_idx
        self.emb = nn.Embedding(n_tokens, dim, padding_idx=pad_idx)
        self.attn = nn.ModuleList(AlibiAttention(dim, n_heads) for _ in range(depth))
        self.ff = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
            for _ in range(depth)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, n_tokens)

    def forward(self, tokens):
        # sequences are right-padded: position 0 is always a residue (BOS)
        is_residue = tokens != self.pad_idx
        x = self.emb(tokens)
        for attn, norm, ff in zip(self.attn, self.norms, self.ff):
            x = x + attn(norm(x), is_residue)
            x = x + ff(x)
        return self.head(x)

    def nll(self, tokens):
        logits = self(tokens[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=self.pad_idx)
