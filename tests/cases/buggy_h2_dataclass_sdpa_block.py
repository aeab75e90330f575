"""Decoder block configured by a dataclass; ported from an nn.MultiheadAttention version."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class BlockConfig:
    d_model: int = 256
    n_heads: int = 4
    max_len: int = 1024
    dropout: float = 0.0


class SDPABlock(nn.Module):
    def __init__(self, cfg: BlockConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        # kept from the MHA version: True above the diagonal
        self.register_buffer(
            "causal", torch.triu(torch.ones(cfg.max_len, cfg.max_len), diagonal=1).bool(), persistent=False
        )

    def forward(self, x):
        B, T, C = x.shape
        h = self.cfg.n_heads
        q, k, v = self.qkv(x).split(C, dim=-1)
        q = q.reshape(B, T, h, C // h).permute(0, 2, 1, 3)
        k = k.reshape(B, T, h, C // h).permute(0, 2, 1, 3)
        v = v.reshape(B, T, h, C // h).permute(0, 2, 1, 3)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=self.causal[:T, :T],  # expect: ML102
            dropout_p=self.cfg.dropout if self.training else 0.0,
        )
        return self.proj(y.permute(0, 2, 1, 3).reshape(B, T, C))
