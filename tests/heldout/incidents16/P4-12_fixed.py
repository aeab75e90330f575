# Copyright (c) Facebook, Inc. and its affiliates. All rights reserved.
#
# This source code is licensed under the BSD license found in the
# LICENSE file in the root directory of this source tree.
#
# (re-implementation for an internal benchmark; same interface as the registry attentions)

from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class AttentionConfig:
    name: str = "scaled_dot_product"
    dropout: float = 0.0
    causal: bool = False
    seq_len: Optional[int] = None


def _causal_mask(seq_len: int, device) -> torch.Tensor:
    # True = the key may be attended to
    return torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))


def scaled_dot_product_attention(q, k, v, att_mask: Optional[torch.Tensor], dropout: Optional[nn.Module] = None):
    att = q @ k.transpose(-2, -1) / (q.size(-1) ** 0.5)
    if att_mask is not None:
        att = att.masked_fill(~att_mask, float("-inf"))
    att = torch.softmax(att, dim=-1)
    if dropout is not None:
        att = dropout(att)
    return att @ v


class ScaledDotProduct(nn.Module):
    """Implementing the Scaled Dot-Product attention proposed in
    `Attention is all you need`_, Vaswani et al."""

    mask: Optional[torch.Tensor]

    def __init__(self, dropout: float = 0.0, causal: bool = False, seq_len: Optional[int] = None, *_, **__):
        super().__init__()
        self.attn_drop = nn.Dropout(dropout, inplace=False)
        self.causal = causal
        self.seq_len = seq_len
        if causal and seq_len is not None:
            self.register_buffer("mask", _causal_mask(seq_len, "cpu"))
        else:
            self.mask = None

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                att_mask: Optional[torch.Tensor] = None, *args, **kwargs) -> torch.Tensor:
        r"""att_mask: bool (seq, seq) or (batch, seq, seq), True = attend"""
        # Mask-aware attention
        if self.causal:
            if self.mask is None or self.mask.shape[-1] != k.shape[-2]:
                self.mask = _causal_mask(k.shape[-2], q.device)
            att_mask = self.mask if att_mask is None else att_mask & self.mask

        # Self-attend: (B x nh, S, hs) x (B x nh, hs, S) -> (B x nh, S, S)
        return scaled_dot_product_attention(q, k, v, att_mask=att_mask, dropout=self.attn_drop)


def build_attention(config: AttentionConfig) -> nn.Module:
    return ScaledDotProduct(**config.__dict__)
