"""Multi-head attention built from nn.Linear layers so per-sample gradient hooks can see every weight."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


class DPMultiheadAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, batch_first: bool = False):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.batch_first = batch_first
        self.qlinear = nn.Linear(embed_dim, embed_dim)
        self.klinear = nn.Linear(embed_dim, embed_dim)
        self.vlinear = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, key_padding_mask: Optional[torch.Tensor] = None,
                attn_mask: Optional[torch.Tensor] = None) -> Tuple[torch.Tensor, torch.Tensor]:
        if self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        tgt_len, bsz, _ = query.size()
        src_len = key.size(0)
        if attn_mask is not None and attn_mask.dim() == 2:
            if list(attn_mask.size()) != [tgt_len, src_len]:
                raise RuntimeError("The size of the 2D attn_mask is not correct.")

        def heads(t, length):
            return t.contiguous().view(length, bsz * self.num_heads, self.head_dim).transpose(0, 1)

        q = heads(self.qlinear(query), tgt_len) * self.head_dim ** -0.5
        k, v = heads(self.klinear(key), src_len), heads(self.vlinear(value), src_len)
        scores = torch.bmm(q, k.transpose(1, 2))  # (bsz * heads, tgt, src)
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                scores = scores.masked_fill(attn_mask, float("-inf"))
            else:
                scores = scores + attn_mask
        if key_padding_mask is not None:
            scores = scores.view(bsz, self.num_heads, tgt_len, src_len)
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
            scores = scores.view(bsz * self.num_heads, tgt_len, src_len)
        weights = self.dropout(F.softmax(scores, dim=-1))
        out = torch.bmm(weights, v).transpose(0, 1).contiguous().view(tgt_len, bsz, self.embed_dim)
        out = self.out_proj(out)
        if self.batch_first:
            out = out.transpose(0, 1)
        return out, weights.view(bsz, self.num_heads, tgt_len, src_len).mean(dim=1)
