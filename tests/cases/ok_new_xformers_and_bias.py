"""Library causal masks used as documented: xformers attention biases and torch.nn.attention.bias."""
import torch
import torch.nn.functional as F
import xformers.ops as xops
from torch import nn
from torch.nn.attention.bias import causal_lower_right, causal_upper_left
from xformers.ops import fmha


class XfGPT(nn.Module):
    def __init__(self, vocab, d=64, h=4):
        super().__init__()
        self.h = h
        self.tok = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.tok(idx)
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).unbind(2)
        y = xops.memory_efficient_attention(q, k, v, attn_bias=xops.LowerTriangularMask())
        return self.lm_head(y.reshape(B, L, D))


class PackedXfLM(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, seqlens):
        q, k, v = self.qkv(x).view(1, x.size(1), 3, self.h, -1).unbind(2)
        bias = fmha.BlockDiagonalCausalMask.from_seqlens(seqlens)
        return xops.memory_efficient_attention(q, k, v, attn_bias=bias)


class CachedDecoderLM(nn.Module):
    """New queries attend to the cache plus themselves: the causal mask is aligned bottom-right."""

    def __init__(self, vocab, d=64, h=4):
        super().__init__()
        self.h = h
        self.tok = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, idx, past_k, past_v):
        x = self.tok(idx)
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        mask = causal_lower_right(L, k.size(2))
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


class PrefillLM(nn.Module):
    def __init__(self, vocab, d=64, h=4):
        super().__init__()
        self.h = h
        self.tok = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, idx):
        x = self.tok(idx)
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=causal_upper_left(L, L), enable_gqa=False)
