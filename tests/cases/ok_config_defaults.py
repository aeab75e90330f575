"""The same configs used as the APIs expect."""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class ModelArgs:
    dim: int = 64
    n_heads: int = 4
    causal: bool = True


class SdpaBlock(nn.Module):
    def __init__(self, args: ModelArgs):
        super().__init__()
        self.args = args

    def forward(self, q, k, v):
        return F.scaled_dot_product_attention(q, k, v, is_causal=self.args.causal)


class EncoderBlock(nn.Module):
    def __init__(self, args: ModelArgs):
        super().__init__()
        self.args = args
        self.layer = nn.TransformerEncoderLayer(args.dim, args.n_heads, batch_first=True)

    def forward(self, x):
        T = x.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(T, device=x.device)
        return self.layer(x, src_mask=mask, is_causal=self.args.causal)
