import math
from typing import Optional

import torch
import torch.nn as nn


class ScaledDotProduct(nn.Module):
    """Attention core shared by the block-sparse and dense variants; att_mask: bool, True = keep."""

    def __init__(self, dropout: float = 0.0, causal: bool = False):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout)
        self.causal = causal
        self._causal_mask: Optional[torch.Tensor] = None

    def _get_causal_mask(self, seq_len: int, device) -> torch.Tensor:
        if self._causal_mask is None or self._causal_mask.size(0) != seq_len or self._causal_mask.device != device:
            self._causal_mask = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))
        return self._causal_mask

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        # q, k, v: (B * heads, S, head_dim)
        if att_mask is not None and self.causal:  # BUG
            att_mask = att_mask & self._get_causal_mask(q.size(-2), q.device)  # BUG
        att = q @ k.transpose(-2, -1) / math.sqrt(k.size(-1))
        if att_mask is not None:
            att = att.masked_fill(~att_mask, float("-inf"))
        att = self.attn_drop(torch.softmax(att, dim=-1))
        return att @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    core = ScaledDotProduct(causal=True).eval()
    q, k, v = (torch.randn(4, 6, 8) for _ in range(3))
    out = core(q, k, v)
    v_future = v.clone()
    v_future[:, -1] = 100.0
    leak = (core(q, k, v_future)[:, 0] - out[:, 0]).abs().max().item()
    print("first position changed by the last value vector:", leak)
