from typing import Optional

import torch
from torch import nn

from .masks import dec_attn_mask


class XLLayer(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        self.ln_q, self.ln_kv = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.ReLU(), nn.Dropout(dropout),
                                nn.Linear(4 * dim, dim))

    def forward(self, h: torch.Tensor, mem: Optional[torch.Tensor]) -> torch.Tensor:
        kv_in = h if mem is None else torch.cat([mem, h], dim=1)
        mlen = 0 if mem is None else mem.size(1)
        mask = dec_attn_mask(h.size(1), mlen, h.device)
        kv = self.ln_kv(kv_in)
        out, _ = self.attn(self.ln_q(h), kv, kv, attn_mask=mask, need_weights=False)
        h = h + out
        return h + self.ff(h)
