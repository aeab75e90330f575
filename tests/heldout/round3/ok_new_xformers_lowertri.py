"""Decoder-only LM on xFormers memory-efficient attention. Packed training
rows use a block-diagonal causal bias; unpacked rows use LowerTriangularMask."""
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
import xformers.ops as xops
from xformers.ops.fmha.attn_bias import BlockDiagonalCausalMask


class XfCausalAttention(nn.Module):
    def __init__(self, dim, n_heads, dropout=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.p = dropout

    def forward(self, x, seqlens: Optional[List[int]] = None):
        B, S, D = x.shape
        q, k, v = self.wqkv(x).view(B, S, 3, self.n_heads, D // self.n_heads).unbind(2)
        if seqlens is None:
            bias = xops.LowerTriangularMask()
        else:
            # x holds several documents concatenated along the sequence (B == 1)
            bias = BlockDiagonalCausalMask.from_seqlens(seqlens)
        y = xops.memory_efficient_attention(q, k, v, attn_bias=bias, p=self.p if self.training else 0.0)
        return self.wo(y.reshape(B, S, D))


class XfBlock(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.attn = XfCausalAttention(dim, n_heads)
        self.n2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, seqlens=None):
        x = x + self.attn(self.n1(x), seqlens)
        return x + self.mlp(self.n2(x))


class XfLM(nn.Module):
    def __init__(self, vocab=32000, dim=1024, n_heads=16, depth=12, max_len=4096):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(XfBlock(dim, n_heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, seqlens=None, position_ids=None):
        if position_ids is None:
            position_ids = torch.arange(ids.size(1), device=ids.device)[None]
        x = self.tok(ids) + self.pos(position_ids)
        for blk in self.blocks:
            x = blk(x, seqlens)
        return self.head(self.norm(x))

    def loss(self, ids, seqlens=None, position_ids=None):
        logits = self(ids, seqlens, position_ids)
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten())
