#!/usr/bin/env python3
# Multi-head attention built from nn.Linear layers only, so per-sample gradient
# hooks (differential privacy) can see every parameter.
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


class SequenceBias(nn.Module):
    def __init__(self, embed_dim: int, batch_first: bool = False):
        super().__init__()
        self.batch_first = batch_first
        self.bias = nn.Parameter(torch.zeros(embed_dim))

    def forward(self, x):
        return x + self.bias


class DPMultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.0, batch_first=False):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self.qlinear = nn.Linear(embed_dim, embed_dim)
        self.klinear = nn.Linear(embed_dim, embed_dim)
        self.vlinear = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, attn_mask=None, key_padding_mask=None, need_weights=True):
        if self.batch_first:
            bsz, tgt_len, _ = query.size()
        else:
            tgt_len, bsz, _ = query.size()
        if attn_mask is not None:
            if attn_mask.dtype == torch.uint8:
                warnings.warn("Byte tensor for attn_mask is deprecated. Use bool tensor instead.")
                attn_mask = attn_mask.to(torch.bool)
            if attn_mask.dim() == 2:
                attn_mask = attn_mask.unsqueeze(0)
                if list(attn_mask.size()) != [1, query.size(0), key.size(0)]:  # BUG: with batch_first=True, dim 0 is the batch; the mask must be checked against the sequence lengths
                    raise RuntimeError("The size of the 2D attn_mask is not correct.")
            elif attn_mask.dim() != 3:
                raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")
        if self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        src_len = key.size(0)
        q = self.qlinear(query) * self.head_dim ** -0.5
        k, v = self.klinear(key), self.vlinear(value)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        attn_output_weights = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            attn_output_weights = attn_output_weights.masked_fill(attn_mask, float("-inf"))
        if key_padding_mask is not None:
            attn_output_weights = attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len)
            attn_output_weights = attn_output_weights.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
            attn_output_weights = attn_output_weights.view(bsz * self.num_heads, tgt_len, src_len)
        attn_output_weights = self.dropout(F.softmax(attn_output_weights, dim=-1))
        attn_output = torch.bmm(attn_output_weights, v)  # (bsz * heads, tgt_len, head_dim)
        attn_output = attn_output.transpose(0, 1).contiguous().view(tgt_len, bsz, self.embed_dim)
        attn_output = self.out_proj(attn_output)
        if self.batch_first:
            attn_output = attn_output.transpose(0, 1)
        weights = attn_output_weights.view(bsz, self.num_heads, tgt_len, src_len).mean(1) if need_weights else None
        return attn_output, weights
