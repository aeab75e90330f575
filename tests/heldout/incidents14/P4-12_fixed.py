# Copyright (c) Facebook, Inc. and its affiliates. All rights reserved.
#
# This source code is licensed under the BSD license found in the
# LICENSE file in the root directory of this source tree.

import math
from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn


@dataclass
class ScaledDotProductConfig:
    dropout: float
    causal: Optional[bool] = False
    seq_len: Optional[int] = None


def _matmul_with_mask(a: torch.Tensor, b: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
    att = a @ b
    if mask is None:
        return att
    if mask.dtype == torch.bool:
        att[~mask.expand_as(att)] = float("-inf")
    else:
        att += mask
    return att


def scaled_dot_product_attention(q, k, v, att_mask: Optional[torch.Tensor], dropout: Optional[nn.Module] = None):
    q = q / math.sqrt(k.size(-1))
    att = _matmul_with_mask(q, k.transpose(-2, -1), att_mask)
    att = torch.softmax(att, dim=att.ndim - 1)
    if dropout is not None:
        att = dropout(att)
    return att @ v


class ScaledDotProduct(nn.Module):
    r"""
    A vanilla attention mechanism, with a boolean mask (True = attend) and an optional causal mask.
    """

    def __init__(self, dropout: float = 0.0, causal: bool = False, seq_len: Optional[int] = None, *_, **__):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.seq_len = seq_len
        if causal and seq_len is not None:
            self.register_buffer("mask", torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool)))
        else:
            self.mask = None

    def forward(self, q, k, v, att_mask: Optional[torch.Tensor] = None, *_, **__) -> torch.Tensor:
        # Mask-aware attention
        if self.causal and self.mask is None:
            self.mask = torch.tril(torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool, device=q.device))

        if self.causal:  # BUG
            att_mask = self.mask if att_mask is None else att_mask & self.mask  # BUG

        # Attend: (B x nh, S, hs) x (B x nh, hs, S) -> (B x nh, S, S)
        return scaled_dot_product_attention(q, k, v, att_mask=att_mask, dropout=self.attn_drop)


if __name__ == "__main__":
    torch.manual_seed(0)
    attention = ScaledDotProduct(dropout=0.0, causal=True, seq_len=6)
    q, k, v = torch.randn(3, 4, 6, 8).unbind(0)
    k2, v2 = k.clone(), v.clone()
    k2[:, 3:], v2[:, 3:] = torch.randn(4, 3, 8), torch.randn(4, 3, 8)
    leak = (attention(q, k, v) - attention(q, k2, v2))[:, :3].abs().max().item()
    print(f"causal attention without att_mask, future leak into rows 0-2: {leak:.4f}")
