"""Causal settings read from dataclass configs (their declared defaults)."""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class ModelArgs:
    dim: int = 64
    n_heads: int = 4
    causal: bool = True


class EncoderBlock(nn.Module):
    def __init__(self, args: ModelArgs):
        super().__init__()
        self.args = args
        self.layer = nn.TransformerEncoderLayer(args.dim, args.n_heads, batch_first=True)

    def forward(self, x):
        return self.layer(x, is_causal=self.args.causal)  # expect: ML402


class SdpaBlock(nn.Module):
    def __init__(self, args: ModelArgs):
        super().__init__()
        self.causal = args.causal
        self.h = args.n_heads

    def forward(self, q, k, v, tokens, pad_id: int):
        keep = (tokens != pad_id)[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, is_causal=self.causal)  # expect: ML403
