from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    """Encoder layer; inputs are (seq_len, batch, embed_dim). Trained with --fp16."""

    def __init__(self, embed_dim=8, attention_heads=2, ffn_embed_dim=16, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, attention_heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_embed_dim)
        self.fc2 = nn.Linear(ffn_embed_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x: Tensor, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        # anything in original attn_mask = 1, becomes -1e8
        # anything in original attn_mask = 0, becomes 0
        # Note that we cannot use -inf here, because at some edge cases,
        # the attention weight (before softmax) for some padded element in query
        # will become -inf, which results in NaN in model parameters
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8 if x.dtype == torch.float32 else -1e4)
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


def run():
    layer = TransformerEncoderLayer().half()
    x = torch.randn(5, 2, 8, dtype=torch.float16)
    attn_mask = torch.triu(torch.ones(5, 5, dtype=torch.float16), diagonal=1)
    return layer(x, None, attn_mask=attn_mask)  # no padding in this batch
