"""Differentially-private-friendly multi-head attention (per-sample-gradient compatible linears)."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class DPAttentionConfig:
    embed_dim: int = 32
    num_heads: int = 4
    dropout: float = 0.0
    batch_first: bool = True


class DPMultiheadAttention(nn.Module):
    def __init__(self, cfg: DPAttentionConfig):
        super().__init__()
        self.cfg = cfg
        self.head_dim = cfg.embed_dim // cfg.num_heads
        self.qlinear = nn.Linear(cfg.embed_dim, cfg.embed_dim)
        self.klinear = nn.Linear(cfg.embed_dim, cfg.embed_dim)
        self.vlinear = nn.Linear(cfg.embed_dim, cfg.embed_dim)
        self.out_proj = nn.Linear(cfg.embed_dim, cfg.embed_dim)

    def forward(self, query, key, value, key_padding_mask: Optional[torch.Tensor] = None,
                attn_mask: Optional[torch.Tensor] = None):
        if key_padding_mask is not None:
            assert key_padding_mask.size(0) == key.size(1)  # BUG
            assert key_padding_mask.size(1) == key.size(0)  # BUG
        if attn_mask is not None and attn_mask.dim() == 3:
            if attn_mask.size(0) != key.size(1) * self.cfg.num_heads or attn_mask.size(1) != query.size(0):  # BUG
                raise RuntimeError("The size of the 3D attn_mask is not correct.")
        if self.cfg.batch_first:
            query, key, value = (x.transpose(0, 1) for x in (query, key, value))
        tgt_len, bsz, embed_dim = query.size()
        src_len = key.size(0)
        h, d = self.cfg.num_heads, self.head_dim
        q = self.qlinear(query).view(tgt_len, bsz * h, d).transpose(0, 1) * d ** -0.5
        k = self.klinear(key).view(src_len, bsz * h, d).transpose(0, 1)
        v = self.vlinear(value).view(src_len, bsz * h, d).transpose(0, 1)
        w = torch.bmm(q, k.transpose(1, 2))
        if attn_mask is not None:
            w = w.masked_fill(attn_mask, float("-inf")) if attn_mask.dtype == torch.bool else w + attn_mask
        if key_padding_mask is not None:
            w = w.view(bsz, h, tgt_len, src_len).masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
            w = w.view(bsz * h, tgt_len, src_len)
        w = F.dropout(F.softmax(w, dim=-1), p=self.cfg.dropout, training=self.training)
        out = torch.bmm(w, v).transpose(0, 1).reshape(tgt_len, bsz, embed_dim)
        out = self.out_proj(out)
        return (out.transpose(0, 1) if self.cfg.batch_first else out), w.view(bsz, h, tgt_len, src_len).mean(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = DPAttentionConfig()
    attn = DPMultiheadAttention(cfg)
    x = torch.randn(3, 5, cfg.embed_dim)
    mask = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1).expand(3 * cfg.num_heads, 5, 5)
    out, w = attn(x, x, x, attn_mask=mask)
    print(out.shape, w.shape)
